/** Capture outputs of the simulator: pcap/pcapng files or buffers, and live UDP. Re-exports only. */
export * from './udp-frame.js';
export * from './pcap-writer.js';
export * from './udp-sender.js';
