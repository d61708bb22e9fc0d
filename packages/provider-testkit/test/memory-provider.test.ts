/**
 * Core's reference provider against the conformance suite: proves the suite passes a
 * correct provider. test/suite-catches.test.ts proves it fails broken ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProviderConformance } from '../src/index.js';
import { memoryConformanceOptions } from './memory-fixtures.js';

runProviderConformance({ describe, it, expect, beforeAll, afterAll }, memoryConformanceOptions('memory'));
