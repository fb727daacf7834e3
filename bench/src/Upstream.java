import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The bench upstream: {@code GET /delay/{ms}} answers after ms, holding no thread meanwhile; and a
 * completion-callback receiver for W9 ({@link CallbackReceiver}).
 */
final class Upstream {

    /** Longer delays are refused, so a typo cannot park connections for hours. */
    private static final long MAX_DELAY_MS = 600_000;

    private Upstream() {
    }

    static void serve(Options o) throws IOException {
        Path portFile = Path.of(o.required("port-file"));
        long maxSeconds = o.longValue("max-seconds", 4 * 3600);
        CallbackReceiver receiver = new CallbackReceiver();
        DisposableServer server = HttpServer.create()
                .host(Calls.LOOPBACK)
                .port(o.intValue("port", 0))
                // 10,000 clients connecting at once must queue in the backlog, not be refused.
                .option(ChannelOption.SO_BACKLOG, 16_384)
                .route(routes -> routes.post(CallbackReceiver.PATH, receiver::receive)
                        .get(CallbackReceiver.PATH + "/stats", receiver::stats)
                        .post(CallbackReceiver.PATH + "/reset", receiver::reset)
                        .post(CallbackReceiver.PATH + "/load", receiver::load)
                        .get("/delay/{ms}", (req, res) -> {
                    long ms = parseLong(req.param("ms"));
                    if (ms < 0 || ms > MAX_DELAY_MS) {
                        return res.status(400).sendString(Mono.just("ms must be 0.." + MAX_DELAY_MS)).then();
                    }
                    String body = "{\"delayMs\":" + ms + "}";
                    // The timer fires on Reactor's parallel scheduler and the write hops back to the
                    // connection's event loop: no thread is held while waiting.
                    return Mono.delay(Duration.ofMillis(ms))
                            .then(Mono.defer(() -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                    .sendString(Mono.just(body)).then()));
                }))
                .bindNow(Duration.ofSeconds(10));
        // Written under another name and moved, so the supervisor never reads half a number.
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("upstream listening on " + Calls.LOOPBACK + ":" + server.port());
        try {
            server.onDispose().block(Duration.ofSeconds(maxSeconds));
        } catch (IllegalStateException timeout) {
            System.out.println("upstream: max lifetime of " + maxSeconds + " s reached, stopping");
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
