/**
 * Collector → probe commands on `simhound/v1/<site>/<probe>/cmd`: an envelope of kind `cmd` whose
 * site/probe name the target probe, signed with the collector's own Ed25519 key (not a probe's). A
 * probe acts on a command only if the signature verifies with the collector key it was configured
 * with, the envelope names this probe, it is not expired (expires_ts_ms) nor dated in the future, and
 * its id has not been seen before (replay). Each command does something observable:
 * - `ping`: the probe republishes its status with `last_command` set to this command (a round trip);
 * - `republish_status`: the probe republishes its current status now.
 */
import { Type, type Static } from '@sinclair/typebox';

export const COMMAND_NAMES = ['ping', 'republish_status'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const CommandBodySchema = Type.Object(
  {
    command: Type.Union(COMMAND_NAMES.map((c) => Type.Literal(c))),
    expires_ts_ms: Type.Integer({ minimum: 0, description: 'The probe ignores the command after this time.' }),
  },
  { additionalProperties: false, $id: 'CommandBody' },
);
export type CommandBody = Static<typeof CommandBodySchema>;

/** What a probe reports (in its status) about the last command it carried out. */
export const LastCommandSchema = Type.Object(
  {
    id: Type.String({ description: 'Envelope id of the command.' }),
    command: Type.Union(COMMAND_NAMES.map((c) => Type.Literal(c))),
    received_ts_ms: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'LastCommand' },
);
export type LastCommand = Static<typeof LastCommandSchema>;
