package kubenurse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A target that answers every request with the same raw bytes, whatever they hold: for responses no real
 * server would send (a status line with quotes and control bytes), which a check must report and log safely.
 */
public final class CannedResponse {

    private CannedResponse() {
    }

    /** Answers every connection to {@code target} with {@code response}, until the socket is closed. */
    public static void serve(ServerSocket target, String response) {
        while (!target.isClosed()) {
            try (Socket connection = target.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // the request head: read, not needed
                }
                connection.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                connection.getOutputStream().flush();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
