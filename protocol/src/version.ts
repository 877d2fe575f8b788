/** Contract version. A breaking change to topics or message shapes bumps this and the topic prefix. */
export const PROTOCOL_VERSION = 1 as const;
export const TOPIC_PREFIX = `simhound/v${PROTOCOL_VERSION}` as const;
/** Software version reported in probe status. Kept in step with the packages' version. */
export const SOFTWARE_VERSION = '0.1.0';
