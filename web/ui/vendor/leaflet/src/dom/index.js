export {PosAnimation} from './PosAnimation';

import * as DomEvent from './DomEvent';
export {DomEvent};

import * as DomUtil from './DomUtil';
export {DomUtil};

export {Draggable} from './Draggable';
