/** Run-level records in the store: the trial ledger and the final report. */
package dev.trainlayer.activities.run;
