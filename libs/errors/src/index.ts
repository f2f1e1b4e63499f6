export * from './domain-error';
export * from './validate';
export * from './rpc-exception.filter';
export * from './rpc-validation.pipe';
