/** The latest applied changes main keeps (and the renderer mirrors), newest first. No zod here: the renderer's first bundle imports it. */
export const HISTORY_LIMIT = 200;
