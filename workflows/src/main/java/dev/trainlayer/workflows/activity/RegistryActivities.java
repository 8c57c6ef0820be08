package dev.trainlayer.workflows.activity;

import dev.trainlayer.workflows.registry.ChampionInfo;
import dev.trainlayer.workflows.registry.ChampionQuery;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.PromoteRequest;
import dev.trainlayer.workflows.registry.PublishInput;
import dev.trainlayer.workflows.registry.PublishResult;
import dev.trainlayer.workflows.registry.RegisterRequest;
import dev.trainlayer.workflows.registry.RegistryState;
import io.temporal.activity.ActivityInterface;

/**
 * Registry operations. A retrain run reaches its model's {@code ModelRegistryWorkflow} through
 * {@link #champion}, {@link #register} and {@link #promote} (activities, because a workflow cannot start
 * an unrelated workflow or wait on another's update directly); the registry workflow itself uses
 * {@link #publish} and {@link #mirror} to write its versions and state to the store.
 */
@ActivityInterface
public interface RegistryActivities {
    ChampionInfo champion(ChampionQuery query);

    ModelVersion register(RegisterRequest request);

    RegistryState promote(PromoteRequest request);

    PublishResult publish(PublishInput input);

    void mirror(RegistryState state);

    /**
     * The registry as last mirrored to the store, or an empty one. A registry workflow that starts with no
     * versions recovers from it, so a registry that was terminated, reset or timed out loses nothing.
     */
    RegistryState load(String model);
}
