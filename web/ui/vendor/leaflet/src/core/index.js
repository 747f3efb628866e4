import Browser from './Browser';
export {Browser};

export {Class} from './Class';

import {Evented} from './Events';
import {Events} from './Events';
export {Evented};
export var Mixin = {Events: Events};

export {Handler} from './Handler';

import * as Util from './Util';
export {Util};
export {extend, bind, stamp, setOptions} from './Util';
