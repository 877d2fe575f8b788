/**
 * The one list of L3 message decoders. Adding a message type = one new file + one line here.
 */
import { cmServiceRequest } from './cm-service-request.js';
import { identityResponse } from './identity-response.js';
import { immediateAssignmentExtended } from './immediate-assignment-extended.js';
import { immediateAssignmentReject } from './immediate-assignment-reject.js';
import { immediateAssignment } from './immediate-assignment.js';
import { locationUpdatingRequest } from './location-updating-request.js';
import { pagingRequest1 } from './paging-request-1.js';
import { pagingRequest2 } from './paging-request-2.js';
import { pagingRequest3 } from './paging-request-3.js';
import { pagingResponse } from './paging-response.js';
import type { L3MessageDecoder } from './types.js';

export const MESSAGE_DECODERS: readonly L3MessageDecoder[] = [
  pagingRequest1,
  pagingRequest2,
  pagingRequest3,
  immediateAssignment,
  immediateAssignmentExtended,
  immediateAssignmentReject,
  pagingResponse,
  cmServiceRequest,
  locationUpdatingRequest,
  identityResponse,
];
