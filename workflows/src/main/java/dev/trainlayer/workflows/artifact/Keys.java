package dev.trainlayer.workflows.artifact;

/**
 * The object layout of the store: pure functions of ids, so a retried activity writes the same keys.
 *
 * <pre>
 * datasets/{dataset}/{sha256}/data.csv, schema.json, profile.json      immutable, content-addressed
 * runs/{runId}/run.json, spec.json, features/, trials/{trialId}/attempt-{n}/..., ledger.jsonl, report.json
 * models/{model}/versions/{n}/model.*, architecture.json, features.json, metrics.json, provenance.json, card.md
 * models/{model}/aliases/champion.json, models/{model}/registry.json
 * pipelines/{pipeline}/runs/{runId}.json                                run index for listing
 * pipelines/{pipeline}/searches/{runId}.json                            a search's observations, for warm starts
 * uploads/{project}/{name}/{sha256}.csv                                  API uploads
 * webhooks/{project}/{name}.json, webhooks/{project}/{name}/deliveries/… webhook settings and their delivery log
 * feedback/{pipeline}/{yyyy-MM-dd}/{part}.csv                           labelled production rows ({@link FeedbackParts})
 * predictions/{model}/{yyyy-MM-dd}/{part}.jsonl                         the prediction log
 * triggers/{pipeline}.json                                              a pipeline's retrain triggers
 * </pre>
 * Pipeline, dataset and model names here are project-qualified ({@link Projects#qualify}): {@code team-a/churn}.
 */
public final class Keys {
    private Keys() {}

    public static String datasetPrefix(String dataset, String sha256) {
        return "datasets/" + dataset + "/" + sha256 + "/";
    }

    public static String datasetData(String dataset, String sha256) {
        return datasetPrefix(dataset, sha256) + "data.csv";
    }

    public static String datasetSchema(String dataset, String sha256) {
        return datasetPrefix(dataset, sha256) + "schema.json";
    }

    public static String datasetProfile(String dataset, String sha256) {
        return datasetPrefix(dataset, sha256) + "profile.json";
    }

    /** Raw uploads through the API, before any run snapshots them: each project's under its own prefix. */
    public static String upload(String project, String dataset, String sha256) {
        return DataAccess.uploads(project) + dataset + "/" + sha256 + ".csv";
    }

    public static String run(String runId) {
        return "runs/" + runId + "/";
    }

    public static String runIndex(String runId) {
        return run(runId) + "run.json";
    }

    public static String runSpec(String runId) {
        return run(runId) + "spec.json";
    }

    public static String features(String runId) {
        return run(runId) + "features/";
    }

    public static String trialAttempt(String runId, String trialId, int attempt) {
        return run(runId) + "trials/" + trialId + "/attempt-" + attempt + "/";
    }

    /** Everything a trial wrote: its attempts, its model, and with k-fold its folds. */
    public static String trial(String runId, String trialId) {
        return run(runId) + "trials/" + trialId + "/";
    }

    /** A running trial's progress (see {@code TrialLive}): overwritten as it trains. */
    public static String trialLive(String runId, String trialId) {
        return trial(runId, trialId) + "live.json";
    }

    public static String trialModel(String runId, String trialId) {
        return run(runId) + "trials/" + trialId + "/model/";
    }

    public static String ledger(String runId) {
        return run(runId) + "ledger.jsonl";
    }

    /** A searched run's observations (flat configurations and values), read by later runs' warm starts. */
    public static String searchObservations(String pipeline, String runId) {
        return searches(pipeline) + runId + ".json";
    }

    public static String searches(String pipeline) {
        return "pipelines/" + pipeline + "/searches/";
    }

    public static String report(String runId) {
        return run(runId) + "report.json";
    }

    public static String pipelineRun(String pipeline, String runId) {
        return "pipelines/" + pipeline + "/runs/" + runId + ".json";
    }

    public static String pipelineRuns(String pipeline) {
        return "pipelines/" + pipeline + "/runs/";
    }

    public static String modelVersion(String model, int version) {
        return "models/" + model + "/versions/" + version + "/";
    }

    public static String champion(String model) {
        return "models/" + model + "/aliases/champion.json";
    }

    public static String registry(String model) {
        return "models/" + model + "/registry.json";
    }

    public static String webhooks(String project) {
        return "webhooks/" + project + "/";
    }

    public static String webhook(String project, String name) {
        return webhooks(project) + name + ".json";
    }

    public static String webhookDeliveries(String project, String name) {
        return webhooks(project) + name + "/deliveries/";
    }

    /** One event's delivery record; event ids may hold '/', which become '~' here. */
    public static String webhookDelivery(String project, String name, String eventId) {
        return webhookDeliveries(project, name) + eventId.replace('/', '~') + ".json";
    }

    /**
     * One part of a model's prediction log: the predictions of one request (JSON lines), under the day (UTC) they were
     * made, so a day's or a window's predictions are a prefix listing.
     */
    public static String predictionLog(String model, String day, String partId) {
        return "predictions/" + model + "/" + day + "/" + partId + ".jsonl";
    }

    /** The predictions CSV of a batch scoring job. */
    public static String batchPredictions(String model, String jobId) {
        return "predictions/" + model + "/batch/" + jobId + ".csv";
    }

    /** Every feedback part of a pipeline, under the day (UTC) it was received. */
    public static String feedback(String pipeline) {
        return "feedback/" + pipeline + "/";
    }

    /** One feedback part (see {@link FeedbackParts} for its name). */
    public static String feedbackPart(String pipeline, String day, String partName) {
        return feedback(pipeline) + day + "/" + partName;
    }

    /** The feedback parts a snapshot took in, and their row counts. */
    public static String datasetFeedback(String dataset, String sha256) {
        return datasetPrefix(dataset, sha256) + "feedback.json";
    }

    /** The prediction log of a model. */
    public static String predictions(String model) {
        return "predictions/" + model + "/";
    }

    /** A pipeline's retrain triggers, as last set through the API (the monitor workflow holds the live copy). */
    public static String triggers(String pipeline) {
        return "triggers/" + pipeline + ".json";
    }
}
