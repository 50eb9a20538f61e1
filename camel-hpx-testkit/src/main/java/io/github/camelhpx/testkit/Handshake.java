package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** The handshake table of §3: guests, credentials, the default user and its null-password quirk. */
final class Handshake {

    private static final List<String> CREDENTIAL_KEYS = List.of("user", "password");
    static final String DEFAULT_USER = "default";

    private final HpxTestServer server;
    private final Map<String, String> users;

    Handshake(HpxTestServer server, Map<String, String> users) {
        this.server = server;
        this.users = users;
    }

    Outcome handle(Connection c, JsonNode root) {
        String who = checkCredentials(root);
        String clientName = PyFormat.str(root.get("name"));
        // server.py handshake(): get_context() fills self.context, the context this connection last held (its own
        // fresh one, or the live session's it last used), and "self.contexts[self.session.id] = self.context"
        // registers it under the new id as well: a re-login keeps the old id valid, sharing the re-logged context
        Session held = c.attached();
        Session s;
        if (held != null && held.contextAlive()) {
            held.context().login(clientName, who);
            s = server.sessions().create(held.context());
        } else {
            s = server.sessions().create(clientName, who);
        }
        c.attach(s);
        return Outcome.reply(s.id(), Json.NODES.textNode("Authenticated"));
    }

    /** G2's handshake: sessions are not bound to a connection, so every login makes a session of its own. */
    Session login(JsonNode root) {
        return server.sessions().create(PyFormat.str(root.get("name")), checkCredentials(root));
    }

    /** Checks the credentials in the root's {@code data} against the table; returns the user, or null for a guest. */
    private String checkCredentials(JsonNode root) {
        JsonNode data = root.get("data");
        boolean guests = server.config().bool("server", "allow_guests");
        if (!guests) {
            try {
                Keys.checkBoth(data, CREDENTIAL_KEYS, "JSON dict");
            } catch (HpxApiError e) {
                throw new HpxApiError(412, e.msg());
            }
        }
        JsonNode user = null;
        JsonNode password = null;
        if (data.isObject()) {
            user = data.get("user");
            password = data.get("password");
        }
        return authenticate(user, password, guests);
    }

    /** Returns the user name, or null for a guest. */
    private String authenticate(JsonNode user, JsonNode password, boolean guests) {
        if (PyFormat.truthy(user) || PyFormat.truthy(password)) {
            String name = user != null && user.isTextual() ? user.textValue() : null;
            boolean defaultDisabled = server.config().bool("server", "disable_default_user");
            if (DEFAULT_USER.equals(name) && !defaultDisabled) {
                return DEFAULT_USER;
            }
            if (name != null && users.containsKey(name)) {
                if (password != null && password.isTextual() && password.textValue().equals(users.get(name))) {
                    return name;
                }
            } else if (DEFAULT_USER.equals(name) && (password == null || password.isNull())
                    && server.quirk(Quirk.DEFAULT_USER_NULL_PASSWORD)) {
                // the disabled default user's stored password is None, and None == None
                return DEFAULT_USER;
            }
            throw new HpxApiError(411, "Wrong credentials");
        }
        if (!guests) {
            throw new HpxApiError(407, "Authentication is required");
        }
        return null;
    }
}
