/**
 * Client-side helpers shared by the API, the worker and activities: connecting to Temporal, registering
 * search attributes, sending commands to a model's registry. Not workflow code: may block and do I/O.
 */
package dev.trainlayer.workflows.client;
