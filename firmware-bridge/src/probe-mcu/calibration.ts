/**
 * From ADC counts to received power at the antenna: counts → millivolts (the firmware's reference),
 * then the log detector's transfer line P = intercept + V / slope (AD8313: +18 mV/dB, intercept
 * −88 dBm at 900 MHz; AD8318: −25 mV/dB, intercept +20 dBm — datasheet typicals; calibrate each unit
 * against a signal generator and put its numbers in the config), plus the insertion loss of the SAW
 * filter and cable in front of it.
 */
export interface DetectorCalibration {
  slope_mv_per_db: number;
  intercept_dbm: number;
  insertion_loss_db: number;
}

export const DETECTOR_PRESETS = {
  ad8313: { slope_mv_per_db: 18, intercept_dbm: -88, insertion_loss_db: 0 },
  ad8318: { slope_mv_per_db: -25, intercept_dbm: 20, insertion_loss_db: 0 },
} as const satisfies Record<string, DetectorCalibration>;

export function adcToMillivolts(adc: number, vref_mv: number, adc_bits = 10): number {
  return (adc * vref_mv) / (1 << adc_bits);
}

export function millivoltsToDbm(mv: number, c: DetectorCalibration): number {
  return c.intercept_dbm + mv / c.slope_mv_per_db + c.insertion_loss_db;
}

/** Inverse: the ADC count that a given antenna level produces (for thresholds set in dBm). */
export function dbmToAdc(dbm: number, c: DetectorCalibration, vref_mv: number, adc_bits = 10): number {
  const mv = (dbm - c.insertion_loss_db - c.intercept_dbm) * c.slope_mv_per_db;
  return Math.max(0, Math.min((1 << adc_bits) - 1, Math.round((mv * (1 << adc_bits)) / vref_mv)));
}
