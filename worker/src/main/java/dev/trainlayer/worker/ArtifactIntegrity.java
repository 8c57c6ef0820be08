package dev.trainlayer.worker;

import dev.trainlayer.store.ArtifactCorruptException;
import dev.trainlayer.workflows.FailureTypes;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;

/**
 * Every activity, one rule: an artifact whose sha256 no longer matches the one recorded when it was written
 * fails the activity as the non-retryable {@code ARTIFACT_CORRUPT}, naming the key — retrying would read the
 * same changed bytes again. Installed on every worker factory ({@link Workers#factoryOptions()}).
 */
public final class ArtifactIntegrity extends WorkerInterceptorBase {
    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            @Override
            public ActivityOutput execute(ActivityInput input) {
                try {
                    return super.execute(input);
                } catch (RuntimeException e) {
                    ArtifactCorruptException corrupt = find(e);
                    if (corrupt != null) {
                        throw ApplicationFailure.newNonRetryableFailure(corrupt.getMessage(), FailureTypes.ARTIFACT_CORRUPT);
                    }
                    throw e;
                }
            }
        };
    }

    private static ArtifactCorruptException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArtifactCorruptException corrupt) {
                return corrupt;
            }
        }
        return null;
    }
}
