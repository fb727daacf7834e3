import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * W9's receiver of completion callbacks, served by the bench upstream: it answers 204 to each
 * delivery once its body is read and counts deliveries by {@code webhook-id}, so W9 can tell how
 * many arrived, whether any arrived twice, and over what time.
 */
final class CallbackReceiver {

    static final String PATH = "/callback";
    /** Deliveries remembered by id; W9 sends far fewer, and past it the receiver answers 507. */
    private static final int MAX_IDS = 2_000_000;

    private final Map<String, Boolean> ids = new ConcurrentHashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder repeated = new LongAdder();
    private final AtomicLong firstMillis = new AtomicLong();
    private final AtomicLong lastMillis = new AtomicLong();

    Publisher<Void> receive(HttpServerRequest req, HttpServerResponse res) {
        String id = req.requestHeaders().get("webhook-id");
        return req.receive().then(Mono.defer(() -> {
            if (id == null) {
                return res.status(400).sendString(Mono.just("no webhook-id header")).then();
            }
            if (ids.size() >= MAX_IDS) {
                return res.status(507).then();
            }
            long now = System.currentTimeMillis();
            firstMillis.compareAndSet(0, now);
            lastMillis.accumulateAndGet(now, Math::max);
            received.increment();
            if (ids.putIfAbsent(id, Boolean.TRUE) != null) {
                repeated.increment();
            }
            return res.status(204).then();
        }));
    }

    /** W9's control: the same work per request as {@link #receive}, from a client that is not the service, counted nowhere. */
    Publisher<Void> load(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().then(Mono.defer(() -> res.status(204).then()));
    }

    Publisher<Void> stats(HttpServerRequest req, HttpServerResponse res) {
        String body = "{\"received\":" + received.sum() + ",\"distinct\":" + ids.size() + ",\"repeated\":" + repeated.sum()
                + ",\"firstMillis\":" + firstMillis.get() + ",\"lastMillis\":" + lastMillis.get() + "}";
        return res.header(HttpHeaderNames.CONTENT_TYPE, "application/json").sendString(Mono.just(body)).then();
    }

    Publisher<Void> reset(HttpServerRequest req, HttpServerResponse res) {
        ids.clear();
        received.reset();
        repeated.reset();
        firstMillis.set(0);
        lastMillis.set(0);
        return res.status(204).then();
    }
}
