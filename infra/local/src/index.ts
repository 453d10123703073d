export * from './free-port';
export * from './kafka-broker';
export * from './postgres';
export * from './local-infrastructure';
export * from './prerequisites';
export * from './workspace-paths';
