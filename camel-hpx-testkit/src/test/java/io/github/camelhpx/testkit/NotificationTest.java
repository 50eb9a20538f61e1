package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.camelhpx.testkit.Replies.assertServerError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-session notification queues (§8.2): push from the test, pull with get_notification. */
class NotificationTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.quirk(Quirk.SESSION_DIES_WITH_LAST_CONNECTION, false));

    private static JsonNode pull(RawClient c) {
        return result(c.callOne("{\"fname\": \"get_notification\"}"), 0, "get_notification");
    }

    @Test
    void notificationsArePulledOldestFirstThenNull() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            int first = hpx.server().pushNotification(c.session(), "Update", "A new version is out");
            int second = hpx.server().pushNotification(c.session(), "Scan", "Scan finished");
            assertThat(first).isEqualTo(200);
            assertThat(second).isEqualTo(201);
            assertThat(pull(c).toString()).isEqualTo("{\"id\":200,\"title\":\"Update\",\"body\":\"A new version is out\",\"expired\":false}");
            assertThat(pull(c).get("id").asInt()).isEqualTo(201);
            assertThat(pull(c).isNull()).isTrue();
        }
    }

    @Test
    void aNotificationBelongsToOneSessionAndAnyOfItsConnections() {
        try (RawClient mine = RawClient.guest(hpx.server()); RawClient other = RawClient.guest(hpx.server());
             RawClient mySecond = RawClient.welcomed(hpx.server())) {
            hpx.server().pushNotification(mine.session(), "t", "b");
            assertThat(pull(other).isNull()).isTrue();
            mySecond.session(mine.session());
            assertThat(pull(mySecond).get("title").asText()).isEqualTo("t");
            assertThat(pull(mine).isNull()).isTrue();
        }
    }

    @Test
    void pushToAllReachesEveryLiveSessionWithOneId() {
        try (RawClient a = RawClient.guest(hpx.server()); RawClient b = RawClient.guest(hpx.server())) {
            int id = hpx.server().pushNotificationToAll("Maintenance", "Restart at noon");
            assertThat(pull(a).get("id").asInt()).isEqualTo(id);
            assertThat(pull(b).get("id").asInt()).isEqualTo(id);
        }
    }

    @Test
    void replyNotificationIsRecordedAndAnswersTrue() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            JsonNode reply = c.callOne("{\"fname\": \"reply_notification\", \"msg_id\": 200, \"action_values\": {\"1\": \"yes\"}}");
            assertThat(result(reply, 0, "reply_notification").asBoolean()).isTrue();
            assertThat(hpx.server().notificationReplies()).hasSize(1);
            assertThat(hpx.server().notificationReplies().get(0).toString())
                    .isEqualTo("{\"msg_id\":200,\"action_values\":{\"1\":\"yes\"}}");
        }
    }

    @Test
    void replyNotificationWithoutADictCrashesLikeThePythonServer() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertServerError(c.callOne("{\"fname\": \"reply_notification\", \"msg_id\": 200, \"action_values\": 5}"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: AttributeError");
        }
    }

    // server.py ClientNotifications.reply: "for i, k in action_values.items(): v[int(i)] = k"
    @Test
    void replyNotificationWithAKeyThatIsNoIntegerCrashesLikeThePythonServer() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertServerError(c.callOne("{\"fname\": \"reply_notification\", \"msg_id\": 200, \"action_values\": {\"yes\": 1}}"),
                    100, "[100] HappypandaError: An unhandled critical error has occurred: ValueError");
            assertThat(result(c.callOne("{\"fname\": \"reply_notification\", \"msg_id\": 200, \"action_values\": {\" -2 \": 1}}"),
                    0, "reply_notification").asBoolean()).isTrue();
        }
    }

    @Test
    void pushingToAnUnknownSessionIsRefused() {
        assertThatThrownBy(() -> hpx.server().pushNotification("nope", "t", "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
