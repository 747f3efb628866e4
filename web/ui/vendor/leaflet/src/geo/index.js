export {LatLng, toLatLng as latLng} from './LatLng';
export {LatLngBounds, toLatLngBounds as latLngBounds} from './LatLngBounds';

import * as Projection from './projection/index';
export {Projection};

export * from './crs/index';
