import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(__dirname, '../../..');
/** Ignored folder for downloaded jars and local data. */
export const cacheDir = join(workspaceRoot, '.cache');
export const kafkaLibsDir = join(cacheDir, 'kafka-libs');
export const kafkaPom = join(workspaceRoot, 'infra/kafka/pom.xml');
