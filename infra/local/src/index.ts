export * from './free-port';
export * from './kafka-broker';
export * from './postgres';
export * from './local-infrastructure';
export * from './prerequisites';
export * from './workspace-paths';
export * from './platform/service-processes';
export * from './platform/platform-environment';
