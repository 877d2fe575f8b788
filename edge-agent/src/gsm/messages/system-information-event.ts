/**
 * Shared tail of every System Information decoder: record the decoded fields in the cell state
 * (`updateFromSystemInformation`) and build the `CellInfo` event from the frame's base fields. The event's
 * `cell` is the identity after this message was applied, so an SI3 event already names its own cell.
 * It builds nothing else and never inspects the bytes. Decoders hand over one object literal: spreading or
 * merging records with dozens of fields costs microseconds per frame in V8 (see ie/event.ts).
 */
import { updateFromSystemInformation, type SystemInformationIdentity } from '../cell-state.js';
import type { CellInfoEvent } from '../events.js';
import { makeEvent } from '../ie/event.js';
import type { DecodeContext } from './types.js';

export type SystemInformationMessage = CellInfoEvent['message'];

export function systemInformationEvent(
  ctx: DecodeContext,
  message: SystemInformationMessage,
  fields: object,
  identity: SystemInformationIdentity = {},
): CellInfoEvent {
  // The typed per-message info interfaces have no index signature; as event payload they are records.
  const info = fields as Record<string, unknown>;
  updateFromSystemInformation(ctx.cell, message, info, ctx.base.ts_ms, identity);
  const event = makeEvent<CellInfoEvent>(ctx.base, { type: 'CellInfo', message, info });
  event.cell = ctx.cell.cell;
  return event;
}
