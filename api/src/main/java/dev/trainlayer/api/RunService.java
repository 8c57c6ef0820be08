package dev.trainlayer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.ApprovalDecision;
import dev.trainlayer.workflows.workflow.Phase;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.SearchWorkflow;
import dev.trainlayer.workflows.workflow.TrialSummary;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Starting, finding and controlling runs. Temporal is the source of truth; the store keeps the run index. */
@Singleton
public class RunService {
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final WorkflowClient client;
    private final WorkflowServiceStubs stubs;
    private final ObjectStore store;
    private final ObjectMapper json;
    /** How long a view waits for a worker to answer the run's query (trainlayer.api.query-timeout, default 3s). */
    private final java.time.Duration queryTimeout;
    private final java.util.concurrent.ExecutorService queries = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "run-query");
        t.setDaemon(true);
        return t;
    });

    /** {@code query}: list runs with visibility queries on search attributes; {@code store}: from the run index. */
    private final String visibility;

    private final DataAccessGuard access;

    public RunService(WorkflowClient client, WorkflowServiceStubs stubs, ObjectStore store, ObjectMapper json, DataAccessGuard access,
                      @io.micronaut.context.annotation.Value("${trainlayer.temporal.visibility:query}") String visibility,
                      @io.micronaut.context.annotation.Value("${trainlayer.api.query-timeout:3s}") java.time.Duration queryTimeout) {
        this.queryTimeout = queryTimeout;
        this.access = access;
        this.client = client;
        this.stubs = stubs;
        this.store = store;
        this.json = json;
        this.visibility = visibility;
    }

    public record Started(boolean created, RunRecord run) {}

    /** Starts a run of the spec in the caller's project; {@code requestedBy} is the caller's key name. */
    public Started start(String specText, String idempotencyKey, String project, String requestedBy) {
        PipelineSpec spec = SpecParser.parse(specText);
        access.check(project, spec);
        return launch(spec, idempotencyKey, project, requestedBy, null);
    }

    /**
     * Starts a run that reproduces a registered version ({@link Reproductions} read the plan from the version's provenance):
     * under the version's own spec, listed with the pipeline's runs. The spec's {@code data.uri} is not read (the run takes
     * the stored snapshot), so it is not checked against the project's data prefixes either.
     */
    public Started reproduce(PipelineSpec spec, dev.trainlayer.workflows.workflow.Reproduction.Request request, String idempotencyKey,
                             String project, String requestedBy) {
        return launch(spec, idempotencyKey, project, requestedBy, request);
    }

    private Started launch(PipelineSpec spec, String idempotencyKey, String project, String requestedBy,
                           dev.trainlayer.workflows.workflow.Reproduction.Request reproduce) {
        String runId = idempotencyKey == null || idempotencyKey.isBlank() ? newRunId() : idempotentRunId(project, idempotencyKey);
        Optional<RunRecord> existing = find(project, runId);
        if (existing.isPresent()) {
            if (!existing.get().specHash().equals(SpecParser.hash(spec))) {
                throw ApiException.conflict("Idempotency-Key '" + idempotencyKey + "' already started run "
                        + existing.get().runId() + " with a different spec; use a new key for a new run");
            }
            return new Started(false, existing.get());
        }
        String workflowId = WorkflowIds.retrain(Projects.qualify(project, spec.name()), runId);
        RunRecord record = new RunRecord(runId, workflowId, spec.name(), spec.modelName(), Instant.now().toString(),
                idempotencyKey, SpecParser.hash(spec), project, reproduce == null ? null : reproduce.ofVersion());
        store.putString(Keys.runSpec(runId), SpecParser.canonicalJson(spec), "application/json");
        store.putBytes(Keys.runIndex(runId), bytes(record), "application/json");
        store.putBytes(Keys.pipelineRun(Projects.qualify(project, spec.name()), runId), bytes(record), "application/json");
        RetrainWorkflow stub = client.newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setTypedSearchAttributes(SearchAttributes.starting(project, spec.name(), spec.modelName()))
                .build());
        try {
            WorkflowClient.start(stub::run, new RetrainInput(runId, spec, requestedBy, project, null, null, reproduce));
        } catch (WorkflowExecutionAlreadyStarted e) {
            return new Started(false, record);
        }
        return new Started(true, record);
    }

    static String newRunId() {
        return RUN_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The same key always names the same run of a project, so a retried POST never starts a second one; two
     * projects using the same key get different runs.
     */
    static String idempotentRunId(String project, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((project + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return "k-" + HexFormat.of().formatHex(digest).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run, when it exists and belongs to {@code project}: another project's run is as absent as a missing one. */
    public Optional<RunRecord> find(String project, String runId) {
        // A leading letter or digit: "." and ".." are not run ids (and not object names the store accepts).
        if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(store.getBytes(store.bucket(), Keys.runIndex(runId)), RunRecord.class))
                    .filter(r -> r.projectOrDefault().equals(project));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("run index of " + runId + " is unreadable", e);
        }
    }

    public RunRecord require(String project, String runId) {
        return find(project, runId).orElseThrow(() -> ApiException.notFound("no run with id '" + runId + "'"));
    }

    public RunView view(RunRecord run, boolean withDetails) {
        DescribeWorkflowExecutionResponse description;
        try {
            description = describeExecution(run.workflowId());
        } catch (ApiException e) {
            if (e.status() != io.micronaut.http.HttpStatus.NOT_FOUND) {
                throw e;
            }
            return lost(run, withDetails);
        }
        WorkflowExecutionStatus status = description.getWorkflowExecutionInfo().getStatus();
        WorkflowStub stub = client.newUntypedWorkflowStub(run.workflowId());
        RunState state = null;
        RunView.Failure failure = null;
        String shown;
        switch (status) {
            case WORKFLOW_EXECUTION_STATUS_RUNNING -> {
                shown = "RUNNING";
                state = withDetails ? query(run) : null;
            }
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
                state = stub.getResult(RunState.class);
                shown = state.status().name();
            }
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> {
                shown = "CANCELLED";
                state = withDetails ? query(run) : null;
            }
            default -> {
                shown = "FAILED";
                failure = failureOf(stub);
                state = withDetails ? query(run) : null;
            }
        }
        if (state == null) {
            return new RunView(run.runId(), run.workflowId(), run.pipeline(), run.model(), shown, phaseOf(description), run.createdAt(),
                    null, null, null, null, null, null, null, null, null, null, null, null, null, failure, null, null, null, null, null, endedAt(description),
                    null, null, null, null, null);
        }
        List<TrialSummary> trials = state.trials();
        if (withDetails && trials.isEmpty() && state.phase() == Phase.TRAINING) {
            // A searching run: its trials live in the search child workflow until the search returns.
            List<TrialSummary> searched = ask(() -> client.newWorkflowStub(SearchWorkflow.class, run.workflowId() + "/search").trials());
            trials = searched == null ? trials : searched;
        }
        if (withDetails) {
            trials = trials.stream().map(t -> "RUNNING".equals(t.status()) ? withLive(run, t) : t).toList();
        }
        return fromState(run, shown, state, trials, failure, withDetails, endedAt(description));
    }

    private static String endedAt(DescribeWorkflowExecutionResponse description) {
        var info = description.getWorkflowExecutionInfo();
        if (!info.hasCloseTime()) {
            return null;
        }
        return java.time.Instant.ofEpochSecond(info.getCloseTime().getSeconds(), info.getCloseTime().getNanos()).toString();
    }

    /** A running trial with its progress: its own live record, or with k-fold its first fold's. */
    private TrialSummary withLive(RunRecord run, TrialSummary trial) {
        Optional<dev.trainlayer.workflows.activity.TrialLive> live = live(run.runId(), trial.trialId());
        if (live.isEmpty()) {
            live = live(run.runId(), trial.trialId() + "/fold-0");
        }
        return live.map(trial::withLive).orElse(trial);
    }

    /** A trial's live record (see {@link dev.trainlayer.workflows.activity.TrialLive}), when its trainer has written one. */
    public Optional<dev.trainlayer.workflows.activity.TrialLive> live(String runId, String trialId) {
        try {
            return Optional.of(json.readValue(store.getBytes(store.bucket(), Keys.trialLive(runId, trialId)),
                    dev.trainlayer.workflows.activity.TrialLive.class));
        } catch (ObjectNotFoundException | IOException e) {
            return Optional.empty();   // not written yet, or being overwritten: the next look gets it
        }
    }

    /**
     * The run's event log: its own, with its search's while the search runs (see {@link RetrainWorkflow#events}),
     * ending with a {@code run.finished} event once it has ended (made here for a run that failed, was cancelled
     * or is lost, since such a run never wrote one). Empty when no worker answered the query in time.
     */
    public Optional<RunEvents.Log> eventLog(RunRecord run) {
        WorkflowExecutionStatus status;
        try {
            status = describe(run.workflowId());
        } catch (ApiException e) {
            if (e.status() != io.micronaut.http.HttpStatus.NOT_FOUND) {
                throw e;
            }
            return Optional.of(new RunEvents.Log(List.of(new dev.trainlayer.workflows.workflow.RunEvent(
                    dev.trainlayer.workflows.workflow.RunEvent.RUN_FINISHED, System.currentTimeMillis(), null, null, "LOST", null,
                    "Temporal no longer has this run; its events are gone with it")), true));
        }
        boolean running = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        List<dev.trainlayer.workflows.workflow.RunEvent> own =
                ask(() -> client.newWorkflowStub(RetrainWorkflow.class, run.workflowId()).events(0));
        if (own == null) {
            return Optional.empty();
        }
        List<dev.trainlayer.workflows.workflow.RunEvent> log = new ArrayList<>(own);
        var last = log.isEmpty() ? null : log.get(log.size() - 1);
        if (last != null && RunEvents.isPhase(last, Phase.TRAINING)) {
            // A search in progress (or just returned, its events not yet appended: they will be, at this position).
            List<dev.trainlayer.workflows.workflow.RunEvent> searched =
                    ask(() -> client.newWorkflowStub(SearchWorkflow.class, run.workflowId() + "/search").events(0));
            if (searched != null) {
                log.addAll(searched);
            }
        }
        boolean finished = !log.isEmpty()
                && dev.trainlayer.workflows.workflow.RunEvent.RUN_FINISHED.equals(log.get(log.size() - 1).type());
        if (finished && running) {
            // The workflow logs its end before its last steps (notify, write the report) and before Temporal
            // closes it: held back until it has closed, so a client that reads the run on run.finished sees
            // the status the event gives, not RUNNING. It comes at the same position on the next look.
            log.remove(log.size() - 1);
            finished = false;
        }
        if (!running && !finished) {
            String shown = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED ? "CANCELLED" : "FAILED";
            RunView.Failure failure = shown.equals("FAILED") ? failureOf(client.newUntypedWorkflowStub(run.workflowId())) : null;
            log.add(new dev.trainlayer.workflows.workflow.RunEvent(dev.trainlayer.workflows.workflow.RunEvent.RUN_FINISHED,
                    System.currentTimeMillis(), null, null, shown, null,
                    failure == null ? null : failure.type() + ": " + failure.message()));
        }
        return Optional.of(new RunEvents.Log(log, !running));
    }

    /**
     * A run the store indexes but Temporal does not know (an in-memory server restarted, a namespace wiped or
     * moved): status {@code LOST}, with its last known state when it finished and wrote its report, never an error.
     */
    private RunView lost(RunRecord run, boolean withDetails) {
        RunState last = null;
        try {
            last = json.readValue(store.getBytes(store.bucket(), Keys.report(run.runId())), RunState.class);
        } catch (ObjectNotFoundException | IOException e) {
            // it never finished: only its index entry is known
        }
        RunView.Failure why = new RunView.Failure("RUN_LOST", "Temporal no longer has this run (its server kept no state across a restart, "
                + "or the namespace was wiped)" + (last == null ? "; it had not finished: start it again"
                : "; it had finished as " + last.status() + " and its artifacts and model version are in the store"));
        if (last == null) {
            return new RunView(run.runId(), run.workflowId(), run.pipeline(), run.model(), "LOST", null, run.createdAt(),
                    null, null, null, null, null, null, null, null, null, null, null, null, null, why, null, null, null, null, null, null,
                    null, null, null, null, null);
        }
        return fromState(run, "LOST", last, last.trials(), why, withDetails, null);
    }

    private static RunView fromState(RunRecord run, String shown, RunState state, List<TrialSummary> trials, RunView.Failure failure,
                                     boolean withDetails, String endedAt) {
        return new RunView(run.runId(), run.workflowId(), run.pipeline(), run.model(), shown, state.phase().name(),
                run.createdAt(), state.datasetSha256(), state.rows(), state.metric() == null ? null : state.metric().wire(),
                withDetails ? trials : null, state.bestTrial(), state.metrics(),
                state.championMetrics().isEmpty() ? null : state.championMetrics(), state.championVersion(), state.gates(),
                state.modelVersion(), state.promoted(), state.reasons(), state.warnings(), failure,
                state.ledger() == null ? null : state.ledger().uri(), state.importance(), state.searchStop(),
                state.searchPriors(), state.warmStartedFrom(), endedAt, state.feedbackRows(), state.comparison(),
                state.triggerReason(), state.reproduction(), state.optimization());
    }

    /**
     * Asks the run's workflow for its live state. A query needs a worker to answer it; when none does
     * within {@code trainlayer.api.query-timeout}, the view falls back to what the server alone knows.
     */
    private RunState query(RunRecord run) {
        return ask(() -> client.newWorkflowStub(RetrainWorkflow.class, run.workflowId()).status());
    }

    private <T> T ask(java.util.concurrent.Callable<T> query) {
        java.util.concurrent.Future<T> answer = queries.submit(query);
        try {
            return answer.get(queryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            answer.cancel(true);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static RunView.Failure failureOf(WorkflowStub stub) {
        try {
            stub.getResult(5, TimeUnit.SECONDS, RunState.class);
            return null;
        } catch (WorkflowFailedException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApplicationFailure app) {
                return new RunView.Failure(app.getType(), app.getOriginalMessage());
            }
            if (cause instanceof TemporalFailure tf) {
                return new RunView.Failure(tf.getClass().getSimpleName(), tf.getOriginalMessage());
            }
            return new RunView.Failure("FAILED", e.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** The phase the workflow last upserted as a search attribute: known without asking a worker. */
    private static String phaseOf(DescribeWorkflowExecutionResponse description) {
        Payload phase = description.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap()
                .get(SearchAttributes.PHASE.getName());
        return phase == null ? null : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(phase, String.class, String.class);
    }

    public WorkflowExecutionStatus describe(String workflowId) {
        return describeExecution(workflowId).getWorkflowExecutionInfo().getStatus();
    }

    private DescribeWorkflowExecutionResponse describeExecution(String workflowId) {
        try {
            return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                    .build());
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                throw ApiException.notFound("run " + workflowId + " is indexed but Temporal has no such workflow");
            }
            throw e;
        }
    }

    /**
     * Runs newest first, optionally of one pipeline and in one status. With a Temporal server that has
     * visibility (every real one) this is a list query on the runs' search attributes — the same query works
     * in the web UI and {@code temporal workflow list}; the Java test server has none, so the embedded stack
     * lists from the run index in the store.
     */
    public List<RunView> list(String project, String pipeline, String status, String trigger, int limit) {
        if ("query".equals(visibility)) {
            List<RunView> out = new ArrayList<>();
            // A scheduled run's workflow id ends in its schedule's "/scheduled-<time>"; the filter reads it lazily.
            client.listExecutions(visibilityQuery(project, pipeline, status))
                    .filter(execution -> trigger == null || trigger.equals(RunView.trigger(
                            WorkflowIds.scheduledRunId(execution.getExecution().getWorkflowId()))))
                    .limit(limit).forEach(execution -> {
                String workflowId = execution.getExecution().getWorkflowId();
                // The run id is the workflow id's last part (a scheduled run's with the ':' of its time removed).
                find(project, WorkflowIds.scheduledRunId(workflowId))
                        .filter(r -> r.workflowId().equals(workflowId))
                        .ifPresent(r -> out.add(view(r, false)));
            });
            return out;
        }
        // Newest first, each run described only until the page is full (streams are lazy).
        return recordsFromStore(project, pipeline).filter(r -> trigger == null || trigger.equals(RunView.trigger(r.runId())))
                .map(r -> view(r, false)).filter(v -> status == null || status.equals(v.status())).limit(limit).toList();
    }

    /** The list query for runs: the workflow type, the pipeline attribute, and the status. */
    static String visibilityQuery(String project, String pipeline, String status) {
        // Names are checked against [a-z0-9._-] before they get here, so they cannot break out of the quotes.
        StringBuilder q = new StringBuilder("WorkflowType = 'RetrainWorkflow' AND ")
                .append(SearchAttributes.PROJECT.getName()).append(" = '").append(project).append('\'');
        if (pipeline != null) {
            q.append(" AND ").append(SearchAttributes.PIPELINE.getName()).append(" = '").append(pipeline).append('\'');
        }
        if (status != null) {
            // A run that failed or was cancelled never got to update its own status attribute.
            q.append(switch (status) {
                case "RUNNING" -> " AND ExecutionStatus = 'Running'";
                case "FAILED" -> " AND ExecutionStatus = 'Failed'";
                case "CANCELLED" -> " AND ExecutionStatus = 'Canceled'";
                default -> " AND ExecutionStatus = 'Completed' AND " + SearchAttributes.STATUS.getName() + " = '" + status + "'";
            });
        }
        return q.toString();
    }

    /**
     * The project's run records, newest first by when their index entry was written (the listing says so, so
     * records are read only as far as the caller's page goes: streams are lazy).
     */
    private java.util.stream.Stream<RunRecord> recordsFromStore(String project, String pipeline) {
        String prefix = pipeline == null ? "pipelines/" + project + "/" : Keys.pipelineRuns(Projects.qualify(project, pipeline));
        return store.listNewestFirst(prefix).stream().map(ObjectStore.Listed::key)
                .filter(key -> key.contains("/runs/") && key.endsWith(".json"))
                .map(key -> {
                    try {
                        return json.readValue(store.getBytes(store.bucket(), key), RunRecord.class);
                    } catch (IOException | ObjectNotFoundException e) {
                        return null;   // an index entry being rewritten: skip it this time
                    }
                })
                .filter(record -> record != null && record.projectOrDefault().equals(project));
    }

    public void decide(RunRecord run, ApprovalDecision decision) {
        if (describe(run.workflowId()) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            throw ApiException.conflict("run " + run.runId() + " has finished; there is nothing to approve");
        }
        client.newWorkflowStub(RetrainWorkflow.class, run.workflowId()).decide(decision);
    }

    /** Where a reset took a run: the Temporal run it replaced, the new one, and the event it restarted from. */
    public record Reset(String runId, String workflowId, String replacedExecution, String newExecution, long eventId, String point) {}

    /**
     * Resets a run the way Temporal resets workflows: a new execution of the same workflow id replays the
     * history up to a workflow task and continues from there with today's workers, code and store. Points:
     * {@code training} (default) — right after the last trial (or the search) finished, so nothing trained
     * is trained again; {@code start} — from the beginning; or a workflow-task event id from the history.
     */
    public Reset reset(RunRecord run, String to, String reason) {
        String current = describeExecution(run.workflowId()).getWorkflowExecutionInfo().getExecution().getRunId();
        io.temporal.common.WorkflowExecutionHistory history = client.fetchHistory(run.workflowId(), current);
        String point = to == null || to.isBlank() ? "training" : to;
        long eventId = resetPoint(history.getEvents(), point);
        try {
            var response = stubs.blockingStub().resetWorkflowExecution(
                    io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(run.workflowId()).setRunId(current))
                            .setReason(reason == null || reason.isBlank() ? "reset through the trainlayer API" : reason)
                            .setWorkflowTaskFinishEventId(eventId)
                            .setRequestId(UUID.randomUUID().toString())
                            // Approvals sent after the reset point are applied again to the new execution.
                            .setResetReapplyType(io.temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL)
                            .build());
            return new Reset(run.runId(), run.workflowId(), current, response.getRunId(), eventId, point);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
                throw new ApiException(io.micronaut.http.HttpStatus.NOT_IMPLEMENTED, "reset-unavailable",
                        "this Temporal server cannot reset workflows (the embedded test server); run `./trainlayer dev` without --ephemeral");
            }
            if (e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT) {
                throw ApiException.badRequest("to", "Temporal refused the reset point: " + e.getStatus().getDescription());
            }
            throw e;
        }
    }

    /** The workflow-task event a reset point names. */
    static long resetPoint(List<io.temporal.api.history.v1.HistoryEvent> events, String point) {
        java.util.function.Predicate<io.temporal.api.history.v1.HistoryEvent> workflowTask = e ->
                e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
        if ("start".equals(point)) {
            return events.stream().filter(workflowTask).findFirst()
                    .orElseThrow(() -> ApiException.conflict("the run has no completed workflow task to reset to")).getEventId();
        }
        if ("training".equals(point)) {
            java.util.Map<Long, String> activityTypes = new java.util.HashMap<>();
            int lastTrainingEvent = -1;
            for (int i = 0; i < events.size(); i++) {
                var e = events.get(i);
                switch (e.getEventType()) {
                    case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> activityTypes.put(e.getEventId(),
                            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
                    case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                        if ("TrainTrial".equals(activityTypes.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))) {
                            lastTrainingEvent = i;
                        }
                    }
                    case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> lastTrainingEvent = i;
                    default -> { }
                }
            }
            for (int i = lastTrainingEvent + 1; lastTrainingEvent >= 0 && i < events.size(); i++) {
                if (workflowTask.test(events.get(i))) {
                    return events.get(i).getEventId();
                }
            }
            throw ApiException.conflict("the run never finished training, so there is nothing to keep: reset with "
                    + "{\"to\": \"start\"} or start a new run");
        }
        long id;
        try {
            id = Long.parseLong(point);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("to", "'" + point + "' is not one of training, start, or a workflow-task event id");
        }
        return events.stream().filter(e -> e.getEventId() == id).findFirst()
                .filter(e -> switch (e.getEventType()) {
                    case EVENT_TYPE_WORKFLOW_TASK_COMPLETED, EVENT_TYPE_WORKFLOW_TASK_STARTED, EVENT_TYPE_WORKFLOW_TASK_FAILED,
                            EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> true;
                    default -> false;
                })
                .orElseThrow(() -> ApiException.badRequest("to", "event " + id + " is not a workflow-task event of this run"))
                .getEventId();
    }

    public void cancel(RunRecord run) {
        if (describe(run.workflowId()) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            throw ApiException.conflict("run " + run.runId() + " has already finished");
        }
        client.newUntypedWorkflowStub(run.workflowId()).cancel();
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
