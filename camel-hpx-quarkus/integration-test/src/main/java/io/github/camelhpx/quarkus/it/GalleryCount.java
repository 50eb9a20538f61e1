package io.github.camelhpx.quarkus.it;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The data of {@code get_count}, bound by Jackson through the endpoint's {@code outputClass}: an application's own
 * type, so the application registers it for reflection (a native image needs that; the JVM does not).
 */
@RegisterForReflection
public record GalleryCount(int count) {
}
