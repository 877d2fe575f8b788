/**
 * The one list of L3 message decoders. Adding a message type = one new file + one line here.
 */
import { authenticationRequest } from './authentication-request.js';
import { authenticationResponse } from './authentication-response.js';
import { ccSetup } from './cc-setup.js';
import { channelRelease } from './channel-release.js';
import { cipheringModeCommand } from './ciphering-mode-command.js';
import { cipheringModeComplete } from './ciphering-mode-complete.js';
import { classmarkChange } from './classmark-change.js';
import { cmServiceAccept } from './cm-service-accept.js';
import { cmServiceReject } from './cm-service-reject.js';
import { cmServiceRequest } from './cm-service-request.js';
import { identityRequest } from './identity-request.js';
import { identityResponse } from './identity-response.js';
import { immediateAssignmentExtended } from './immediate-assignment-extended.js';
import { immediateAssignmentReject } from './immediate-assignment-reject.js';
import { immediateAssignment } from './immediate-assignment.js';
import { imsiDetachIndication } from './imsi-detach-indication.js';
import { locationUpdatingAccept } from './location-updating-accept.js';
import { locationUpdatingReject } from './location-updating-reject.js';
import { locationUpdatingRequest } from './location-updating-request.js';
import { notificationNch } from './notification-nch.js';
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
import { systemInformation5 } from './system-information-5.js';
import { systemInformation5bis } from './system-information-5bis.js';
import { systemInformation5ter } from './system-information-5ter.js';
import { systemInformation6 } from './system-information-6.js';
import { tmsiReallocationCommand } from './tmsi-reallocation-command.js';
import { tmsiReallocationComplete } from './tmsi-reallocation-complete.js';
import type { L3MessageDecoder } from './types.js';

export const MESSAGE_DECODERS: readonly L3MessageDecoder[] = [
  // CCCH
  pagingRequest1,
  pagingRequest2,
  pagingRequest3,
  immediateAssignment,
  immediateAssignmentExtended,
  immediateAssignmentReject,
  notificationNch,
  // SDCCH/FACCH: the mobile's first message, identities
  pagingResponse,
  cmServiceRequest,
  locationUpdatingRequest,
  imsiDetachIndication,
  identityResponse,
  // SDCCH/FACCH: the connection after it
  identityRequest,
  authenticationRequest,
  authenticationResponse,
  cipheringModeCommand,
  cipheringModeComplete,
  tmsiReallocationCommand,
  tmsiReallocationComplete,
  locationUpdatingAccept,
  locationUpdatingReject,
  cmServiceAccept,
  cmServiceReject,
  classmarkChange,
  ccSetup,
  channelRelease,
  // BCCH
  systemInformation1,
  systemInformation2,
  systemInformation2bis,
  systemInformation2ter,
  systemInformation2quater,
  systemInformation3,
  systemInformation4,
  systemInformation13,
  // SACCH
  systemInformation5,
  systemInformation5bis,
  systemInformation5ter,
  systemInformation6,
];
