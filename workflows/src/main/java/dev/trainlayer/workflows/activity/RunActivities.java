package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.artifact.ArtifactRef;
import dev.trainlayer.workflows.workflow.RunState;
import io.temporal.activity.ActivityInterface;

/** Run-level records in the store: the run index, the trial ledger and the final report. */
@ActivityInterface
public interface RunActivities {
    ArtifactRef writeLedger(LedgerInput input);

    ArtifactRef writeReport(RunState state);

    /** Indexes a run that did not come through the API (a scheduled one), as the API indexes the runs it starts. */
    void indexRun(RunIndexInput input);
}
