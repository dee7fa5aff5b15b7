"""The Afnames screen: sessions with their detail, the planning dialog, candidates, locations, periods."""
