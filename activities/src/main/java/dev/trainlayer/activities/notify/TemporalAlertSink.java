package dev.trainlayer.activities.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlayer.activities.Json;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.activity.TrialAlert;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.notify.Notification;
import dev.trainlayer.workflows.notify.NotifyWorkflow;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a trial's alerts to webhooks the moment the trial raises them: it starts the event's
 * {@link NotifyWorkflow} from the worker (id per alert, so a resumed attempt raising it again starts nothing).
 */
public class TemporalAlertSink implements AlertSink {
    private static final Logger log = LoggerFactory.getLogger(TemporalAlertSink.class);

    private final WorkflowClient client;
    private final ObjectStore store;

    public TemporalAlertSink(WorkflowClient client, ObjectStore store) {
        this.client = client;
        this.store = store;
    }

    @Override
    public void trialAlert(String runId, String trialId, TrialAlert alert) {
        String project = Projects.DEFAULT;
        String pipeline = null;
        String model = null;
        try {
            JsonNode run = Json.MAPPER.readTree(store.getBytes(store.bucket(), Keys.runIndex(runId)));
            project = run.path("project").asText(Projects.DEFAULT);
            pipeline = run.path("pipeline").asText(null);
            model = run.path("model").asText(null);
        } catch (Exception e) {
            log.warn("run {} has no readable index; its alert goes to project {}'s webhooks", runId, project);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("trialId", trialId);
        data.put("kind", alert.kind());
        data.put("epoch", alert.epoch());
        data.put("message", alert.message());
        Notification notification = new Notification(alert.id(), alert.event(), project, pipeline, model, runId, alert.atMillis(),
                "run " + runId + ", " + alert.message(), data);
        NotifyWorkflow delivery = client.newWorkflowStub(NotifyWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.notify(project, alert.id()))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            WorkflowClient.start(delivery::deliver, notification);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // raised before by an earlier attempt of this trial: delivered once
        } catch (RuntimeException e) {
            log.warn("could not start the delivery of alert {}: {}", alert.id(), e.toString());
        }
    }
}
