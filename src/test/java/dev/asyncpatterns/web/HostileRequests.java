package dev.asyncpatterns.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded random mutations of valid requests to every endpoint: bad values, unknown fields, odd
 * paths, odd headers and broken framing. The same seed gives the same requests, so a failure
 * printed with its seed can be replayed.
 */
final class HostileRequests {

    /** A request as bytes on the wire, and what the server may answer it with. */
    record Request(String description, byte[] bytes, boolean headOnly) {

        @Override
        public String toString() {
            return description;
        }
    }

    private record Template(String method, String path, String body, String accept) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UNKNOWN_JOB = UUID.nameUUIDFromBytes(new byte[] { 1 }).toString();

    private static final JsonNode[] BAD_VALUES = {
        JSON.getNodeFactory().numberNode(-1), JSON.getNodeFactory().textNode("x"), JSON.getNodeFactory().nullNode(),
        JSON.createArrayNode(), JSON.createObjectNode(), JSON.getNodeFactory().booleanNode(true),
        JSON.getNodeFactory().textNode(""), JSON.getNodeFactory().numberNode(new java.math.BigInteger("99999999999999999999999")),
        JSON.getNodeFactory().numberNode(2_147_483_648L), JSON.getNodeFactory().numberNode(1.5e300),
        JSON.getNodeFactory().textNode("\u0000\uD83D\uDE00\u202E"), JSON.getNodeFactory().textNode("a".repeat(5000)) };

    private static final String[] ODD_PATH_SUFFIXES = { "%00", "%2F", "..%2F..%2Fetc%2Fpasswd", "/", "//", ";x=1",
        "%zz", "|", "{x}", "%C3%A9", "%E2%80%AE", "\\", "/..", "/.", "%252F", "~", "*", "%", "a".repeat(5000) };

    private static final String[] ODD_QUERIES = { "?limit=-1", "?limit=abc", "?state=FOO", "?waitMs=-5",
        "?waitMs=99999999999999999999", "?all=maybe", "?type=" + "t".repeat(300), "?%00=1", "?a=%zz", "?&&&=",
        "?limit=1&limit=2", "?unknown=1" };

    private static final String[] ACCEPTS = { "text/event-stream", ";;;", "application/xml", "*/*;q=abc",
        "application/x-ndjson", "text/html", "image/*", "application/problem+json", "a/b;c", "\u0085" };

    private static final String[] CONTENT_TYPES = { "text/plain", "application/json;charset=ebcdic", ";;;",
        "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "" };

    private static final String[][] ODD_HEADERS = { { "X-API-Key", "not-a-key" }, { "Authorization", "Bearer a.b.c" },
        { "Authorization", "Basic Zm9vOmJhcg==" }, { "Authorization", "Bearer" }, { "X-Forwarded-For", "1.2.3.4, ::1" },
        { "Forwarded", "for=\"[::1]\";proto=gopher" }, { "Origin", "http://evil.example" }, { "X-Odd", "\u0085\u009f" },
        { "X-Odd", "é" }, { "Range", "bytes=0-1" }, { "Expect", "100-continue" }, { "Content-Encoding", "gzip" },
        { "Accept-Encoding", "br;q=2" }, { "Accept-Language", ";;" } };

    private final Random random;
    private final List<Template> templates;

    HostileRequests(long seed, int port) {
        this.random = new Random(seed);
        String sim = "http://127.0.0.1:" + port + "/sim";
        this.templates = List.of(
                new Template("POST", "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":5,\"steps\":1},\"timeoutMs\":2000,\"name\":\"fuzz\"}", "application/json"),
                new Template("POST", "/api/jobs", "{\"type\":\"pipeline\",\"params\":{\"items\":3,\"producers\":1,\"consumers\":1,\"queueCapacity\":1,\"itemDelayMs\":1},\"timeoutMs\":2000}", "application/json"),
                new Template("POST", "/api/jobs", "{\"type\":\"fetch\",\"params\":{\"urls\":[\"" + sim + "/delay/1\"],\"concurrency\":1},\"timeoutMs\":2000}", "application/json"),
                new Template("GET", "/api/jobs?state=RUNNING&limit=5", null, "application/json"),
                new Template("GET", "/api/jobs/" + UNKNOWN_JOB + "?waitMs=0", null, "application/json"),
                new Template("POST", "/api/jobs/" + UNKNOWN_JOB + "/cancel", null, "application/json"),
                new Template("DELETE", "/api/jobs/" + UNKNOWN_JOB, null, "*/*"),
                new Template("GET", "/api/jobs/" + UNKNOWN_JOB + "/events", null, "text/event-stream"),
                new Template("POST", "/api/fanout/gather", "{\"urls\":[\"" + sim + "/delay/1\",\"" + sim + "/status/503\"],\"concurrency\":2,\"perCallTimeoutMs\":2000,\"timeoutMs\":3000,\"returnExceptions\":true}", "application/json"),
                new Template("POST", "/api/fanout/wait", "{\"urls\":[\"" + sim + "/delay/1\"],\"returnWhen\":\"FIRST_COMPLETED\",\"timeoutMs\":3000}", "application/json"),
                new Template("POST", "/api/fanout/first", "{\"urls\":[\"" + sim + "/delay/1\"],\"timeoutMs\":3000}", "application/json"),
                new Template("POST", "/api/fanout/stream", "{\"urls\":[\"" + sim + "/delay/1\"],\"timeoutMs\":3000}", "application/x-ndjson"),
                new Template("POST", "/api/calls", "{\"url\":\"" + sim + "/delay/1\",\"retry\":\"default\",\"timeoutMs\":3000}", "application/json"),
                new Template("GET", "/api/policies", null, "application/json"),
                new Template("GET", "/api/patterns", null, "application/json"),
                new Template("POST", "/api/patterns/semaphore", "{\"permits\":2,\"tasks\":3,\"taskMs\":1}", "application/json"),
                new Template("POST", "/api/patterns/queue", "{\"items\":3,\"producers\":1,\"consumers\":1,\"capacity\":1,\"itemMs\":1}", "application/json"),
                new Template("POST", "/api/patterns/timeout", "{\"workMs\":50,\"timeoutMs\":5}", "application/json"),
                new Template("POST", "/api/tcp/echo", "{\"host\":\"localhost\",\"port\":1,\"message\":\"hi\"}", "application/json"),
                new Template("GET", "/api/cluster", null, "application/json"),
                new Template("GET", "/sim/delay/1", null, "application/json"),
                new Template("GET", "/sim/bytes/16", null, "text/plain"),
                new Template("GET", "/actuator/health", null, "application/json"),
                new Template("GET", "/", null, "text/html"));
    }

    /** A valid request of every template, unchanged: the baseline the mutations start from. */
    List<Request> originals() {
        List<Request> originals = new ArrayList<>();
        for (Template template : templates) {
            originals.add(build("original " + template.method() + " " + template.path(), template.method(),
                    template.path(), template.body(), headers(template)));
        }
        return originals;
    }

    /** A valid request with one to three mutations of its values, fields, path and headers. */
    Request next() {
        Template template = templates.get(random.nextInt(templates.size()));
        StringBuilder description = new StringBuilder(template.method() + " " + template.path());
        String method = template.method();
        String path = template.path();
        String body = template.body();
        List<String[]> headers = headers(template);
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            switch (random.nextInt(body != null ? 8 : 5)) {
                case 0 -> {
                    String suffix = pick(ODD_PATH_SUFFIXES);
                    path = insertIntoPath(path, suffix);
                    description.append(" | path ").append(abbreviate(path));
                }
                case 1 -> {
                    path = path.replaceFirst("\\?.*", "") + pick(ODD_QUERIES);
                    description.append(" | query ").append(abbreviate(path));
                }
                case 2 -> {
                    method = pick(new String[] { "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO", "get" });
                    description.append(" | method ").append(method);
                }
                case 3 -> {
                    String accept = pick(ACCEPTS);
                    replace(headers, "Accept", accept);
                    description.append(" | accept ").append(abbreviate(accept));
                }
                case 4 -> {
                    String[] header = ODD_HEADERS[random.nextInt(ODD_HEADERS.length)];
                    headers.add(header);
                    description.append(" | header ").append(header[0]).append(": ").append(abbreviate(header[1]));
                }
                case 5 -> {
                    body = mutateJson(body, description);
                }
                case 6 -> {
                    String contentType = pick(CONTENT_TYPES);
                    replace(headers, "Content-Type", contentType);
                    description.append(" | content-type ").append(contentType);
                }
                default -> {
                    body = mutateText(body, description);
                }
            }
        }
        return build(description.toString(), method, path, body, headers);
    }

    private String mutateJson(String body, StringBuilder description) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        }
        catch (RuntimeException notJson) {
            return body;
        }
        if (!(tree instanceof ObjectNode object)) {
            return body;
        }
        ObjectNode target = object.get("params") instanceof ObjectNode params && random.nextBoolean() ? params : object;
        List<String> names = new ArrayList<>(target.propertyNames());
        switch (random.nextInt(4)) {
            case 0 -> {
                String unknown = pick(new String[] { "timeOut", "stepz", "concurency", "__proto__", "", "params.x", "Type" });
                target.put(unknown, 1);
                description.append(" | unknown field ").append(unknown);
            }
            case 1 -> {
                if (!names.isEmpty()) {
                    String name = names.get(random.nextInt(names.size()));
                    target.set(name, BAD_VALUES[random.nextInt(BAD_VALUES.length)]);
                    description.append(" | bad value for ").append(name);
                }
            }
            case 2 -> {
                if (!names.isEmpty()) {
                    String name = names.get(random.nextInt(names.size()));
                    target.remove(name);
                    description.append(" | without ").append(name);
                }
            }
            default -> {
                if (target.get("urls") instanceof ArrayNode urls) {
                    urls.add(pick(new String[] { "file:///etc/passwd", "http://169.254.169.254/", "gopher://x", "", "http://[::1" }));
                    description.append(" | odd url");
                }
                else {
                    target.set("nested", JSON.readTree("[".repeat(300) + "]".repeat(300)));
                    description.append(" | deep nesting");
                }
            }
        }
        return JSON.writeValueAsString(tree);
    }

    private String mutateText(String body, StringBuilder description) {
        switch (random.nextInt(5)) {
            case 0 -> {
                int cut = random.nextInt(Math.max(1, body.length()));
                description.append(" | truncated at ").append(cut);
                return body.substring(0, cut);
            }
            case 1 -> {
                description.append(" | body not JSON");
                return pick(new String[] { "", "null", "[]", "\"x\"", "{'a':1}", "{\"a\":1}{", "\u0000\u0001", "{\"type\":\"sleep\",\"type\":\"cpu\"}" });
            }
            case 2 -> {
                description.append(" | deep nesting");
                return "[".repeat(5000) + "]".repeat(5000);
            }
            case 3 -> {
                description.append(" | oversized body");
                return "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
            }
            default -> {
                description.append(" | odd characters");
                return body.substring(0, body.length() / 2) + "\uFFFD\uDC00" + body.substring(body.length() / 2);
            }
        }
    }

    private static Request build(String description, String method, String path, String body, List<String[]> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1\r\n").append("Connection: close\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        System.arraycopy(content, 0, bytes, headBytes.length, content.length);
        return new Request(description, bytes, "HEAD".equals(method));
    }

    private static List<String[]> headers(Template template) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] { "Accept", template.accept() });
        if (template.body() != null) {
            headers.add(new String[] { "Content-Type", "application/json" });
        }
        return headers;
    }

    private static void replace(List<String[]> headers, String name, String value) {
        headers.removeIf(header -> header[0].equalsIgnoreCase(name));
        headers.add(new String[] { name, value });
    }

    private String insertIntoPath(String path, String suffix) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        String rest = query < 0 ? "" : path.substring(query);
        int slash = bare.lastIndexOf('/');
        return random.nextBoolean() ? bare + suffix + rest : bare.substring(0, slash + 1) + suffix + bare.substring(slash + 1) + rest;
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + ")" : text;
    }
}
