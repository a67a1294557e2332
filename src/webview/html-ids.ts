/**
 * The ids of the data blocks in a standalone page, shared by the page writer (node) and the app
 * (browser): the first message, before the app's script, and the messages that follow, after it.
 */
export const DATA_ELEMENT_ID = 'trailscope-data';
export const MORE_DATA_ELEMENT_ID = 'trailscope-data-more';
