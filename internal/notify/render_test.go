package notify_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
)

const statusURL = "https://carequeue.example.org/status/AbCdEfGhIjKlMnOpQrStUvWx"

func ptr(n int) *int { return &n }

// full is a message with every field set, as a check-in job would fill it.
func full(kind notify.Kind, lang string) notify.Message {
	return notify.Message{
		Kind: kind, Language: lang, Code: "C-012", Position: ptr(4), Wait: &queue.WaitRange{LowMinutes: 40, HighMinutes: 70},
		ServicePoint: "Room 3", QueueName: "Emergency", StatusURL: statusURL, SignInCode: "483920",
	}
}

// golden is the SMS text of full(kind, lang) for every kind and language.
var golden = map[string]map[notify.Kind]string{
	"en": {
		notify.CheckedIn:   "CareQueue: Ticket C-012 checked in (Emergency), position 4, about 40-70 min wait. Status: " + statusURL,
		notify.WaitChanged: "CareQueue: Ticket C-012: your wait has changed, now about 40-70 min. Status: " + statusURL,
		notify.Ahead:       "CareQueue: Ticket C-012: your turn is near (3 people ahead of you). Please stay nearby. Status: " + statusURL,
		notify.Called:      "CareQueue: C-012, please go to Room 3.",
		notify.Transferred: "CareQueue: You were moved to Emergency. Your ticket is now C-012, about 40-70 min wait. Status: " + statusURL,
		notify.Cancelled:   "CareQueue: Ticket C-012 has been cancelled. If this is a mistake, please ask at the front desk.",
		notify.Code:        "CareQueue: Your sign-in code is 483920. It expires in a few minutes. Do not share it.",
	},
	"es": {
		notify.CheckedIn:   "CareQueue: Turno C-012 registrado (Emergency), puesto 4, espera aprox. 40-70 min. Estado: " + statusURL,
		notify.WaitChanged: "CareQueue: Turno C-012: su espera ha cambiado, ahora aprox. 40-70 min. Estado: " + statusURL,
		notify.Ahead:       "CareQueue: Turno C-012: pronto le toca (3 personas delante de usted). No se aleje. Estado: " + statusURL,
		notify.Called:      "CareQueue: C-012, es su turno. Por favor, pase a Room 3.",
		notify.Transferred: "CareQueue: Le hemos pasado a Emergency. Su turno ahora es C-012, espera aprox. 40-70 min. Estado: " + statusURL,
		notify.Cancelled:   "CareQueue: El turno C-012 ha sido cancelado. Si es un error, acuda al mostrador.",
		notify.Code:        "CareQueue: Su clave de acceso es 483920. Caduca en unos minutos. No la comparta.",
	},
	"fr": {
		notify.CheckedIn:   "CareQueue : Ticket C-012 enregistré (Emergency), position 4, attente env. 40-70 min. Suivi : " + statusURL,
		notify.WaitChanged: "CareQueue : Ticket C-012 : votre attente a changé, maintenant env. 40-70 min. Suivi : " + statusURL,
		notify.Ahead:       "CareQueue : Ticket C-012 : votre tour approche (3 personnes devant vous). Restez près. Suivi : " + statusURL,
		notify.Called:      "CareQueue : C-012, c'est votre tour : Room 3.",
		notify.Transferred: "CareQueue : Transfert vers Emergency : nouveau ticket C-012, attente env. 40-70 min. Suivi : " + statusURL,
		notify.Cancelled:   "CareQueue : Le ticket C-012 a été annulé. En cas d'erreur, adressez-vous à l'accueil.",
		notify.Code:        "CareQueue : Votre code de connexion est 483920. Il expire dans quelques minutes. Ne le partagez pas.",
	},
}

func TestRender(t *testing.T) {
	t.Parallel()

	t.Run("RendersEveryKindInEveryLanguage", func(t *testing.T) {
		t.Parallel()
		require.Len(t, golden, len(notify.Langs))
		for _, lang := range notify.Langs {
			require.Contains(t, golden, string(lang), "a language with templates needs its golden texts")
		}
		for lang, byKind := range golden {
			require.Len(t, byKind, len(notify.Kinds), lang)
			for _, kind := range notify.Kinds {
				require.Equal(t, byKind[kind], notify.Render(full(kind, lang)), "%s/%s", lang, kind)
			}
		}
	})

	t.Run("ChoosesLanguageByPrimarySubtag", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			tag  string
			want string
		}{
			{"es", "es"}, {"es-MX", "es"}, {"ES_es", "es"}, {" es-419 ", "es"},
			{"fr", "fr"}, {"fr-CA", "fr"},
			{"en", "en"}, {"en-GB", "en"}, {"", "en"}, {"de", "en"}, {"x-klingon", "en"}, {"e", "en"},
		} {
			require.Equal(t, notify.Lang(tc.want), notify.LangOf(tc.tag), tc.tag)
			require.Equal(t, golden[tc.want][notify.Called], notify.Render(full(notify.Called, tc.tag)), tc.tag)
		}
	})

	t.Run("DropsPhrasesOfAbsentFields", func(t *testing.T) {
		t.Parallel()
		bare := func(kind notify.Kind, lang string) notify.Message {
			return notify.Message{Kind: kind, Language: lang, Code: "C-012"}
		}
		at := func(kind notify.Kind, lang string, position int) notify.Message {
			m := bare(kind, lang)
			m.Position = ptr(position)
			return m
		}
		withWait := func(kind notify.Kind, lang string, low, high int) notify.Message {
			m := full(kind, lang)
			m.Wait = &queue.WaitRange{LowMinutes: low, HighMinutes: high}
			return m
		}
		noWait := full(notify.CheckedIn, "en")
		noWait.Wait = nil
		for _, tc := range []struct {
			name string
			m    notify.Message
			want string
		}{
			{"CheckedInEn", bare(notify.CheckedIn, "en"), "CareQueue: Ticket C-012 checked in."},
			{"CheckedInEs", bare(notify.CheckedIn, "es"), "CareQueue: Turno C-012 registrado."},
			{"CheckedInFr", bare(notify.CheckedIn, "fr"), "CareQueue : Ticket C-012 enregistré."},
			{"CheckedInNoRangeSaysNoNumber", noWait, "CareQueue: Ticket C-012 checked in (Emergency), position 4. Status: " + statusURL},
			{"CheckedInAboutToBeCalledEn", withWait(notify.CheckedIn, "en", 0, 0), "CareQueue: Ticket C-012 checked in (Emergency), position 4, about to be called. Status: " + statusURL},
			{"CheckedInAboutToBeCalledEs", withWait(notify.CheckedIn, "es", 0, 0), "CareQueue: Turno C-012 registrado (Emergency), puesto 4, le llamaremos enseguida. Estado: " + statusURL},
			{"CheckedInAboutToBeCalledFr", withWait(notify.CheckedIn, "fr", 0, 0), "CareQueue : Ticket C-012 enregistré (Emergency), position 4, appel imminent. Suivi : " + statusURL},
			{"CheckedInEqualEndsOneNumber", withWait(notify.CheckedIn, "en", 5, 5), "CareQueue: Ticket C-012 checked in (Emergency), position 4, about 5 min wait. Status: " + statusURL},
			{"CheckedInEndsRoundedOutwards", withWait(notify.CheckedIn, "en", 37, 68), "CareQueue: Ticket C-012 checked in (Emergency), position 4, about 35-70 min wait. Status: " + statusURL},
			{"CheckedInShortEndsAsTheyAre", withWait(notify.CheckedIn, "en", 3, 9), "CareQueue: Ticket C-012 checked in (Emergency), position 4, about 3-9 min wait. Status: " + statusURL},
			{"CheckedInEqualLongEndsRoundOutwards", withWait(notify.CheckedIn, "en", 12, 12), "CareQueue: Ticket C-012 checked in (Emergency), position 4, about 10-15 min wait. Status: " + statusURL},
			{"WaitChangedLongWait", withWait(notify.WaitChanged, "es", 121, 242), "CareQueue: Turno C-012: su espera ha cambiado, ahora aprox. 120-245 min. Estado: " + statusURL},
			{"WaitChangedWithoutRangeEn", bare(notify.WaitChanged, "en"), "CareQueue: Ticket C-012: your wait has changed."},
			{"WaitChangedWithoutRangeEs", bare(notify.WaitChanged, "es"), "CareQueue: Turno C-012: su espera ha cambiado."},
			{"WaitChangedWithoutRangeFr", bare(notify.WaitChanged, "fr"), "CareQueue : Ticket C-012 : votre attente a changé."},
			{"AheadEn", bare(notify.Ahead, "en"), "CareQueue: Ticket C-012: your turn is near. Please stay nearby."},
			{"AheadEs", bare(notify.Ahead, "es"), "CareQueue: Turno C-012: pronto le toca. No se aleje."},
			{"AheadFr", bare(notify.Ahead, "fr"), "CareQueue : Ticket C-012 : votre tour approche. Restez près."},
			// The count of people ahead takes its language's plural form; the first in line is told so.
			{"AheadNextEn", at(notify.Ahead, "en", 1), "CareQueue: Ticket C-012: your turn is near (you are next). Please stay nearby."},
			{"AheadNextEs", at(notify.Ahead, "es", 1), "CareQueue: Turno C-012: pronto le toca (nadie delante de usted). No se aleje."},
			{"AheadNextFr", at(notify.Ahead, "fr", 1), "CareQueue : Ticket C-012 : votre tour approche (plus personne devant vous). Restez près."},
			{"AheadOneEn", at(notify.Ahead, "en", 2), "CareQueue: Ticket C-012: your turn is near (1 person ahead of you). Please stay nearby."},
			{"AheadOneEs", at(notify.Ahead, "es", 2), "CareQueue: Turno C-012: pronto le toca (1 persona delante de usted). No se aleje."},
			{"AheadOneFr", at(notify.Ahead, "fr", 2), "CareQueue : Ticket C-012 : votre tour approche (1 personne devant vous). Restez près."},
			{"AheadTwoEn", at(notify.Ahead, "en", 3), "CareQueue: Ticket C-012: your turn is near (2 people ahead of you). Please stay nearby."},
			{"AheadTwoEs", at(notify.Ahead, "es", 3), "CareQueue: Turno C-012: pronto le toca (2 personas delante de usted). No se aleje."},
			{"AheadTwoFr", at(notify.Ahead, "fr", 3), "CareQueue : Ticket C-012 : votre tour approche (2 personnes devant vous). Restez près."},
			{"CalledEn", bare(notify.Called, "en"), "CareQueue: C-012, please go to the front desk."},
			{"CalledEs", bare(notify.Called, "es"), "CareQueue: C-012, es su turno. Por favor, acuda al mostrador."},
			{"CalledFr", bare(notify.Called, "fr"), "CareQueue : C-012, c'est votre tour. Veuillez vous présenter à l'accueil."},
			{"TransferredEn", bare(notify.Transferred, "en"), "CareQueue: You were moved. Your ticket is now C-012."},
			{"TransferredEs", bare(notify.Transferred, "es"), "CareQueue: Le hemos pasado. Su turno ahora es C-012."},
			{"TransferredFr", bare(notify.Transferred, "fr"), "CareQueue : Transfert : nouveau ticket C-012."},
		} {
			require.Equal(t, tc.want, notify.Render(tc.m), tc.name)
		}
	})

	t.Run("RendersNothingForUnknownKind", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, notify.Render(full("reminder", "en")))
		title, body := notify.RenderPush(full("reminder", "fr"))
		require.Empty(t, title)
		require.Empty(t, body)
	})

	t.Run("PushIsSMSWithoutBrandUnderATitle", func(t *testing.T) {
		t.Parallel()
		titles := map[string][]string{
			"en": {"Checked in", "Your wait has changed", "Your turn is near", "It's your turn", "Queue changed", "Ticket cancelled", "Sign-in code"},
			"es": {"Registrado", "Su espera ha cambiado", "Pronto es su turno", "Es su turno", "Cambio de cola", "Turno cancelado", "Clave de acceso"},
			"fr": {"Enregistrement confirmé", "Votre attente a changé", "Votre tour approche", "C'est votre tour", "File modifiée", "Ticket annulé", "Code de connexion"},
		}
		for lang, want := range titles {
			for i, kind := range notify.Kinds {
				title, body := notify.RenderPush(full(kind, lang))
				require.Equal(t, want[i], title, "%s/%s", lang, kind)
				sms := golden[lang][kind]
				require.Equal(t, sms[strings.Index(sms, ": ")+2:], body, "%s/%s", lang, kind)
			}
		}
	})

	t.Run("MessageCannotCarryPatientName", func(t *testing.T) {
		t.Parallel()
		// Lock-screen previews are public: a new field that could hold a person's name must be a
		// deliberate decision, made here, not an accident in a template.
		var fields []string
		typ := reflect.TypeFor[notify.Message]()
		for i := range typ.NumField() {
			fields = append(fields, typ.Field(i).Name)
		}
		require.Equal(t, []string{
			"Kind", "Language", "Code", "Position", "Wait", "ServicePoint", "QueueName", "StatusURL", "SignInCode",
		}, fields)
	})
}
