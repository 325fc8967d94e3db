package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePlatformTest {

    @Test
    void importsTheInspectedPlatformOnlyIntoKubernetesNamespace() {
        ImagePlatform platform = ImagePlatform.of(new InspectImageResponse().withOs("linux").withArch("amd64"));
        assertEquals(List.of("ctr", "-n", "k8s.io", "images", "import", "--platform", "linux/amd64", "/tmp/kubenurse.tar"),
                platform.ctrImport("/tmp/kubenurse.tar"));
    }

    @Test
    void armHostsImportTheirOwnPlatform() {
        assertEquals("linux/arm64", new ImagePlatform("linux", "arm64").toString());
    }

    @Test
    void anUnknownPlatformFailsAtOnceNamingTheValue() {
        IllegalArgumentException noArch = assertThrows(IllegalArgumentException.class,
                () -> ImagePlatform.of(new InspectImageResponse().withOs("linux")));
        assertTrue(noArch.getMessage().contains("'null'"), noArch.getMessage());
        IllegalArgumentException uname = assertThrows(IllegalArgumentException.class,
                () -> new ImagePlatform("linux", "x86-64"));
        assertTrue(uname.getMessage().contains("'x86-64'"), uname.getMessage());
    }
}
