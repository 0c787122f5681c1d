// The client every component above the API server uses: transports, the REST client, informers
// and listers, and the work queue.
export * from './transport.js';
export * from './rest.js';
export * from './informer.js';
export * from './workqueue.js';
