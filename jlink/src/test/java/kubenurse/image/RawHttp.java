package kubenurse.image;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP/1.1 connection on a plain socket: what an attacker controls and java.net.http hides (a head
 * sent in part, a connection kept idle, exact header bytes, one socket per request). Understands only
 * responses with a Content-Length, which is what kubenurse's endpoints send.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to loopback; reads after this wait at most {@code timeout}. */
    static RawHttp connect(int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException failed) {
            socket.close();
            throw failed;
        }
    }

    /** Writes these bytes as they are, complete request or not. */
    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** A keep-alive GET with one extra header (none when {@code name} is null); returns the status. */
    int get(String path, String name, String value) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (name == null ? "" : name + ": " + value + "\r\n") + "\r\n");
        return readStatus();
    }

    /** A response: its status, header lines as sent and body. */
    record Response(int status, List<String> headers, String body) {
    }

    /** Reads one response, its body skipped, and returns its status. */
    int readStatus() throws IOException {
        return read(false).status();
    }

    /** Reads one response with its body. */
    Response readResponse() throws IOException {
        return read(true);
    }

    private Response read(boolean keepBody) throws IOException {
        String statusLine = line();
        List<String> headers = new ArrayList<>();
        long length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            headers.add(header);
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(header.substring(colon + 1).trim());
            }
        }
        String body = "";
        if (keepBody) {
            body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        } else {
            in.skipNBytes(length);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        return new Response(Integer.parseInt(parts[1]), headers, body);
    }

    /**
     * Whether the server has closed its side: a read that ends the stream at once. Waits a millisecond
     * for an answer it never expects; a connection still open simply times out.
     */
    boolean closedByServer() {
        try {
            socket.setSoTimeout(1);
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed after " + bytes.size() + " bytes of a line: " + bytes);
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
