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
import { systemInformation1 } from './system-information-1.js';
import { systemInformation13 } from './system-information-13.js';
import { systemInformation2 } from './system-information-2.js';
import { systemInformation2bis } from './system-information-2bis.js';
import { systemInformation2quater } from './system-information-2quater.js';
import { systemInformation2ter } from './system-information-2ter.js';
import { systemInformation3 } from './system-information-3.js';
import { systemInformation4 } from './system-information-4.js';
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
  systemInformation1,
  systemInformation2,
  systemInformation2bis,
  systemInformation2ter,
  systemInformation2quater,
  systemInformation3,
  systemInformation4,
  systemInformation13,
];
