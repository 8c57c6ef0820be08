package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a run does about anomalous trials (a NaN or infinite loss, a validation loss far above its best, a plateau
 * far past patience). They always raise a {@code trial.anomaly} alert (event stream and webhooks); with
 * {@code stopAnomalousTrials: true} a trial that diverges or plateaus is also stopped at once, as a pruned trial
 * whose reason names the anomaly. A non-finite loss always ends the trial: there is nothing left to train.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertsSpec(Boolean stopAnomalousTrials) {}
