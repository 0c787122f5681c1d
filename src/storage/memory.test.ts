import { storeConformance } from './conformance.js';
import { MemoryStore } from './memory.js';

storeConformance('MemoryStore', () => new MemoryStore());
