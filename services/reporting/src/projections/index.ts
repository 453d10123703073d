export * from './lead-row.projection';
export * from './breach-row.projection';
export * from './awaiting-first-touch.projection';
export * from './clock-instance.projection';
