/**
 * Loading a stored model (feature pipeline + model files, sha256-checked) and predicting rows: used by evaluation,
 * the API's predict route and users' own services alike, so recorded metrics and served predictions come from one
 * path. Imports the store and the workflows' contracts only: never Temporal's client, Micronaut or the activities.
 */
package dev.trainlayer.scoring;
