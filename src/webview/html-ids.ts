/** The id of the data block in a standalone page; shared by the page writer (node) and the app (browser). */
export const DATA_ELEMENT_ID = 'trailscope-data';
