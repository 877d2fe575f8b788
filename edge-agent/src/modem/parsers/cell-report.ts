/**
 * What an engineering-mode poll yields, whatever the modem: the serving cell and its neighbours, in
 * the contract's field names (so the poller only stamps time, source and position onto them).
 */
import type { NeighbourCell, ServingCellObservation } from '@simhound/protocol';

export type ServingCellFields = Omit<ServingCellObservation, 'type' | 'ts_ms' | 'source_name' | 'position'>;

export interface CellReport {
  rat: ServingCellObservation['rat'];
  serving: ServingCellFields | null;
  neighbours: NeighbourCell[];
  /** Rows that were present but unusable (counted by the poller, never silently lost). */
  rejected_rows: number;
}
