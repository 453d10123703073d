export * from './min-heap';
export * from './due-queue';
export * from './scheduler';
