package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One timer task for many deadlines: each ends on time, and deadlines in a row do not each schedule a task. */
class SweeperTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    /** The deadlines armed (nano time) and not yet ended. */
    private final Set<Long> armed = ConcurrentHashMap.newKeySet();
    private final Set<Long> ended = ConcurrentHashMap.newKeySet();
    private final Sweeper sweeper = new Sweeper(timer, this::sweep);

    {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private long sweep(long now) {
        long next = Sweeper.NONE;
        for (long at : armed) {
            if (at - now <= 0) {
                armed.remove(at);
                ended.add(at);
            } else if (next == Sweeper.NONE || at - next < 0) {
                next = at;
            }
        }
        return next;
    }

    private long arm(Duration in) {
        long at = System.nanoTime() + in.toNanos();
        armed.add(at);
        sweeper.by(at);
        return at;
    }

    @Test
    void laterDeadlinesScheduleNothingAndEachEndsAtItsTime() {
        // Far enough ahead that no sweep runs before the queue is looked at.
        long first = arm(Duration.ofSeconds(2));
        for (int i = 1; i <= 100; i++) {
            arm(Duration.ofMillis(2_000 + i * 3L));
        }

        assertThat(timer.getQueue()).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 101);
        assertThat(ended).contains(first);
        assertThat(armed).isEmpty();
    }

    @Test
    void anEarlierDeadlineTakesTheOneTasksPlace() {
        long later = arm(Duration.ofSeconds(30));
        long sooner = arm(Duration.ofSeconds(2));

        assertThat(timer.getQueue()).hasSize(1);
        assertThat(((Delayed) timer.getQueue().peek()).getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(2_000);
        // The sweep that ended it schedules the next one for what is left, once it returns.
        await().atMost(Duration.ofSeconds(10)).until(() -> ended.contains(sooner) && timer.getQueue().size() == 1);
        assertThat(armed).containsExactly(later);
        assertThat(((Delayed) timer.getQueue().peek()).getDelay(TimeUnit.SECONDS)).isGreaterThan(20);
    }

    @Test
    void cancelledSweepsRunNoMore() {
        arm(Duration.ofSeconds(1));
        sweeper.cancel();

        assertThat(timer.getQueue()).isEmpty();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> ended.isEmpty());
    }

    @Test
    void aShutTimerIsSaidAndTheNextArmingTriesAgain() {
        timer.shutdown();

        assertThatThrownBy(() -> arm(Duration.ofMillis(100))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> arm(Duration.ofMillis(200))).isInstanceOf(RejectedExecutionException.class);
    }
}
