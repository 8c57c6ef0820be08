package dev.trainlayer.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An activity body that is silent for longer than its heartbeat timeout survives because Liveness beats for it. */
class LivenessTest {
    @ActivityInterface
    public interface Slow {
        String work(long millis);
    }

    static class SlowImpl implements Slow {
        @Override
        public String work(long millis) {
            try (Liveness alive = Liveness.start()) {
                Thread.sleep(millis);
                return "done";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    @Test
    void aSilentBodyLongerThanTheHeartbeatTimeoutStillCompletes() {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        AtomicInteger beats = new AtomicInteger();
        env.setActivityHeartbeatListener(Object.class, details -> beats.incrementAndGet());
        env.registerActivitiesImplementations(new SlowImpl());
        Slow slow = env.newActivityStub(Slow.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(Duration.ofSeconds(4))
                .build());
        assertEquals("done", slow.work(11_000));
        assertTrue(beats.get() >= 2, "heartbeats from the side thread: " + beats.get());
        env.close();
    }
}
