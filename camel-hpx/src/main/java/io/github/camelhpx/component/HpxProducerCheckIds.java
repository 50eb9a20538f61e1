package io.github.camelhpx.component;

import java.util.HashSet;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;

/**
 * The ids of the component's producer health checks, named after what the user wrote: {@code producer:hpx-<name>}
 * with the route's id as the name (the endpoint's outside a route). Further producers of the same route add
 * {@code -2}, {@code -3}, ... in the order the route starts them (the order they are written in), so that ids stay
 * unique: Camel does not tell a producer the id of its {@code to}. One per CamelContext, for all its hpx
 * components; kept here rather than looked up in Camel's repository, which hides its checks while producer checks
 * are off.
 */
final class HpxProducerCheckIds {

    private static final String PREFIX = "producer:hpx-";

    private final Set<String> taken = new HashSet<>();

    static HpxProducerCheckIds of(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        synchronized (HpxProducerCheckIds.class) {
            HpxProducerCheckIds ids = extension.getContextPlugin(HpxProducerCheckIds.class);
            if (ids == null) {
                ids = new HpxProducerCheckIds();
                extension.addContextPlugin(HpxProducerCheckIds.class, ids);
            }
            return ids;
        }
    }

    synchronized String claim(String name) {
        String id = PREFIX + name;
        for (int n = 2; taken.contains(id); n++) {
            id = PREFIX + name + "-" + n;
        }
        taken.add(id);
        return id;
    }

    synchronized void release(String id) {
        taken.remove(id);
    }
}
