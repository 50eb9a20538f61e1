package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates and runs a list of function calls (§5): every call is validated before any runs. G1
 * ({@link #call}): results are the validated calls in request order, then the validation failures. G2
 * ({@link #callInRequestOrder}): one result per call, in request order, because the 1.0 web client matches
 * results by index.
 */
final class FunctionDispatcher {

    private static final List<String> FUNCTION_KEYS = List.of("fname");

    /** A function-level error collected during validation; fname stays raw because non-strings crash later. */
    record PendingError(JsonNode fname, int code, String msg) {
    }

    private record Call(FunctionSpec spec, ObjectNode args) {
    }

    /** One function-data object: {@code data}, or {@code error} when the call failed. */
    record Result(String fname, Object data, HpxApiError error) {
    }

    private final HpxTestServer server;
    private final Map<String, FunctionSpec> functions;

    FunctionDispatcher(HpxTestServer server, Map<String, FunctionSpec> functions) {
        this.server = server;
        this.functions = functions;
    }

    Outcome call(Connection c, ArrayNode list) {
        // the real server kept these per connection and cleared them only after a successful batch
        List<PendingError> errors = server.quirk(Quirk.STALE_VALIDATION_ERRORS) ? c.staleErrors() : new ArrayList<>();
        List<Call> calls = new ArrayList<>();
        for (JsonNode f : list) {
            Call call = validate(f, errors);
            if (call != null) {
                calls.add(call);
            }
        }
        Session session = c.current();
        List<Result> results = new ArrayList<>(calls.size() + errors.size());
        for (Call call : calls) {
            results.add(run(session, call));
        }
        for (PendingError e : errors) {
            if (!e.fname().isTextual()) {
                // message.Function asserted that fname is a str
                throw new PyCrash("AssertionError");
            }
            results.add(new Result(e.fname().textValue(), null, new HpxApiError(e.code(), e.msg())));
        }
        errors.clear();
        return Outcome.reply(session.id(), (LazyJson) w -> write(w, results));
    }

    /**
     * G2: validates every call first (an element without {@code fname} still fails the whole message), then
     * runs them; a call that fails validation gets its first validation error at its own index.
     */
    List<Result> callInRequestOrder(Session session, ArrayNode list) {
        List<Object> validated = new ArrayList<>(list.size());
        for (JsonNode f : list) {
            List<PendingError> errors = new ArrayList<>(1);
            Call call = validate(f, errors);
            validated.add(call != null ? call : errors.get(0));
        }
        List<Result> results = new ArrayList<>(validated.size());
        for (Object v : validated) {
            if (v instanceof Call call) {
                results.add(run(session, call));
            } else {
                PendingError e = (PendingError) v;
                results.add(new Result(PyFormat.str(e.fname()), null, new HpxApiError(e.code(), e.msg())));
            }
        }
        return results;
    }

    private Call validate(JsonNode f, List<PendingError> errors) {
        Keys.checkMissing(f, FUNCTION_KEYS, "Function message");
        if (f.isArray()) {
            throw new PyCrash("TypeError");
        }
        JsonNode fname = f.get("fname");
        if (fname.isArray() || fname.isObject()) {
            throw new PyCrash("TypeError");
        }
        FunctionSpec spec = fname.isTextual() ? functions.get(fname.textValue()) : null;
        String name = PyFormat.str(fname);
        if (spec == null) {
            errors.add(new PendingError(fname, 403, "Function not found: '" + name + "'"));
            return null;
        }
        boolean failed = false;
        for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
            String arg = it.next();
            if (!"fname".equals(arg) && !spec.hasParam(arg)) {
                errors.add(new PendingError(fname, 403, "Unexpected argument in function '" + name + "': '" + arg + "'"));
                failed = true;
                break;
            }
        }
        // no break here: the real server reported every missing argument, even after an unexpected one
        for (FunctionSpec.Param p : spec.params()) {
            if (p.required() && !f.has(p.name())) {
                errors.add(new PendingError(fname, 403, "Missing a required argument in function '" + name + "': '" + p.name() + "'"));
                failed = true;
            }
        }
        if (failed) {
            return null;
        }
        ObjectNode args = Json.object();
        for (FunctionSpec.Param p : spec.params()) {
            JsonNode v = f.get(p.name());
            args.set(p.name(), v != null ? v : p.defaultValue().deepCopy());
        }
        return new Call(spec, args);
    }

    private Result run(Session session, Call call) {
        String name = call.spec().name();
        try {
            Object value = call.spec().handler().handle(new FunctionCallContext(server, session, name, call.args()));
            return new Result(name, Json.toJson(value), null);
        } catch (HpxApiError e) {
            return new Result(name, null, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PyCrash(e.getClass().getSimpleName());
        }
    }

    private static void write(PyJsonWriter w, List<Result> results) {
        w.beginArray();
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (i > 0) {
                w.separator();
            }
            w.raw("{\"fname\": ");
            w.string(r.fname());
            w.raw(", \"data\": ");
            if (r.error() == null) {
                w.value(r.data());
            } else {
                w.raw("null, \"error\": ");
                writeError(w, r.error());
            }
            w.raw("}");
        }
        w.endArray();
    }

    static void writeError(PyJsonWriter w, HpxApiError e) {
        w.raw("{\"code\": ");
        w.number(e.code());
        w.raw(", \"msg\": ");
        w.string(e.msg());
        w.raw("}");
    }
}
