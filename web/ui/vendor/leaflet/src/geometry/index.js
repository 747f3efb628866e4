export {Point, toPoint as point} from './Point';
export {Bounds, toBounds as bounds} from './Bounds';
export {Transformation, toTransformation as transformation} from './Transformation';

import * as LineUtil from './LineUtil';
export {LineUtil};
import * as PolyUtil from './PolyUtil';
export {PolyUtil};
