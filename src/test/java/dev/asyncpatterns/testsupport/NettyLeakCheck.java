package dev.asyncpatterns.testsupport;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty reported a buffer leak ({@link NettyLeaks}). Registered for
 * every test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled}.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = NettyLeaks.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " buffer leak(s) by the end of "
                    + context.getDisplayName() + " (reported once the garbage collector took the buffer, so "
                    + "possibly made by a class run before it; the access records say where the buffer went: "
                    + "HttpClientCodec points at a test client's response, HttpServerCodec at the service's side):\n"
                    + String.join("\n", leaks));
        }
    }
}
