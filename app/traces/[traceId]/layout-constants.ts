/** Width of the waterfall's name column; the timeline takes the rest. */
export const NAME_WIDTH = "clamp(300px, 42%, 560px)";
/** Every waterfall row has this height (px): fixed heights make windowing exact. */
export const ROW_HEIGHT = 26;
