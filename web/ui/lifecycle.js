// lifecycle.js — the twin's state machines of the closed loop, for the
// console's buttons. Generated from twin.AlarmState.Closable,
// twin.DangerState.Next, twin.OrderState.Allows and the route table
// (routes.go) by
// `go test ./web -run TestLifecycleJS -update`:
// do not edit by hand.

/** ALARM_CLOSABLE lists the alarm states an alarm may be closed from. */
export const ALARM_CLOSABLE = ["cleared"];

/** DANGER_NEXT maps a hidden danger's state to the states it may move to. */
export const DANGER_NEXT = {"accepted":["closed","rectifying"],"closed":[],"rectifying":["accepted"],"registered":["rectifying"]};

/** ORDER_ACTIONS maps an action on a verification order to the states that allow it. */
export const ORDER_ACTIONS = {"ack":["issued"],"close":["answered"],"feedback":["issued","acknowledged","returned"],"return":["answered"]};

/** ACTION_ROLES maps each action of the closed loop to the roles its route allows. */
export const ACTION_ROLES = {"alarm.close":["duty-officer","commander","admin"],"danger.register":["duty-officer","commander","enterprise","admin"],"danger.state":["duty-officer","commander","enterprise","admin"],"order.ack":["duty-officer","commander","enterprise","admin"],"order.close":["duty-officer","commander","admin"],"order.feedback":["duty-officer","commander","enterprise","admin"],"order.return":["duty-officer","commander","admin"],"task.done":["duty-officer","dispatcher","commander","admin"]};

/** GATEWAY_LIMIT is the limit of an alarm raised for a gateway: an enterprise's sensors silent together (telemetry.LimitGateway). */
export const GATEWAY_LIMIT = "gateway";
