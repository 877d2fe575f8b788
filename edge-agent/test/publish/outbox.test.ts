import { describe } from 'vitest';
import { MemoryOutbox } from '../../src/publish/outbox.js';
import { outboxSuite } from './outbox-suite.js';

describe('MemoryOutbox', () => outboxSuite({ make: (limits, clock) => new MemoryOutbox(limits, clock) }));
