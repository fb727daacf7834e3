import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** What the load-generating helpers share: the client, replies, messages and result lines. */
final class Calls {

    static final String LOOPBACK = "127.0.0.1";
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private Calls() {
    }

    record Reply(int status, String body) {
    }

    /** A client that sends JSON; configured once, because each {@code headers(...)} call copies it. */
    static HttpClient jsonClient(ConnectionProvider pool) {
        return HttpClient.create(pool)
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(RESPONSE_TIMEOUT);
    }

    static Mono<Reply> post(HttpClient client, String url, byte[] body) {
        // A Mono body goes out with a Content-Length (a Flux would be chunked).
        return client.post()
                .uri(url)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((res, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Reply(res.status().code(), text)))
                .onErrorMap(e -> !(e instanceof BenchFailure),
                        e -> new BenchFailure("POST " + url + " failed: " + e));
    }

    static String hint(Reply reply, String feature) {
        return reply != null && reply.status() == 404
                ? " -- does this jar have " + feature + "? Pass a jar built from a branch that has it with --jar."
                : "";
    }

    static String describe(Reply reply) {
        return reply == null ? "nothing" : reply.status() + " " + abbreviate(reply.body());
    }

    static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...(" + text.length() + " chars)";
    }

    static long intField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static int effectiveConcurrency(int requested, int n) {
        return requested <= 0 ? Math.max(1, n) : Math.min(requested, Math.max(1, n));
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    static void result(String name, List<Double> values) {
        StringBuilder line = new StringBuilder("RESULT ").append(name);
        values.forEach(v -> line.append(String.format(Locale.ROOT, " %.1f", v)));
        System.out.println(line);
    }

    /** As {@link #freePort()}, for the supervisor, where a failure ends the workload. */
    static int freePortOrFail() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new BenchFailure("no free port: " + e.getMessage());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }
}
