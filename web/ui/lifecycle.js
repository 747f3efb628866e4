// lifecycle.js — the twin's state machines of the closed loop, for the
// console's buttons. Generated from twin.AlarmState.Closable,
// twin.DangerState.Next and twin.OrderState.Allows by
// `go test ./web -run TestLifecycleJS -update`:
// do not edit by hand.

/** ALARM_CLOSABLE lists the alarm states an alarm may be closed from. */
export const ALARM_CLOSABLE = ["cleared"];

/** DANGER_NEXT maps a hidden danger's state to the states it may move to. */
export const DANGER_NEXT = {"accepted":["closed","rectifying"],"closed":[],"rectifying":["accepted"],"registered":["rectifying"]};

/** ORDER_ACTIONS maps an action on a verification order to the states that allow it. */
export const ORDER_ACTIONS = {"ack":["issued"],"close":["answered"],"feedback":["issued","acknowledged","returned"],"return":["answered"]};

/** GATEWAY_LIMIT is the limit of an alarm raised for a gateway: an enterprise's sensors silent together (telemetry.LimitGateway). */
export const GATEWAY_LIMIT = "gateway";
