"""Rebuild ``survey.csv``, the bundled example survey (synthetic, written by hand).

Every comment is assembled from hand-written phrases (below) about the six CX topics in four
languages; the answers are drawn from a latent satisfaction that the phrases move (planted
relationships, see the README in this folder). Run from the repository root:

    python benchmarks/build_survey.py

The output is deterministic (seed 2024).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

# (topic, polarity, journey stage hint) -> phrases per language. Polarity: pos / neg / neu.
PHRASES: dict[str, dict[tuple[str, str], list[str]]] = {
    "es": {
        ("process", "neg"): [
            "El pedido llegó con cinco días de retraso y nadie me avisó",
            "La entrega fue un desastre, el repartidor dejó la caja en la calle",
            "El proceso de devolución es lentísimo, llevo tres semanas esperando el reembolso",
            "Tuve que esperar más de cuarenta minutos al teléfono para hablar con alguien",
            "El envío se perdió dos veces y el seguimiento no funcionaba",
        ],
        ("process", "pos"): [
            "El pedido llegó al día siguiente, perfectamente embalado",
            "La devolución fue rápida y sin complicaciones",
            "El envío fue rapidísimo y pude seguirlo en todo momento",
        ],
        ("people", "neg"): [
            "La persona que me atendió fue muy maleducada",
            "El personal de la tienda no tenía ni idea y no quiso ayudarme",
            "El agente del servicio de atención al cliente me colgó",
        ],
        ("people", "pos"): [
            "La chica que me atendió fue encantadora y muy profesional",
            "El personal fue muy amable y resolvió todas mis dudas",
            "Marta, del servicio de atención al cliente, me ayudó muchísimo",
        ],
        ("price", "neg"): [
            "Los precios han subido bastante este año",
            "Me parece caro para lo que ofrecen",
            "Los gastos de envío son demasiado altos",
        ],
        ("price", "pos"): [
            "El precio es muy razonable",
            "Buena relación calidad-precio",
        ],
        ("product", "neg"): [
            "La chaqueta se descosió a la segunda semana",
            "La calidad del producto no es la de antes",
            "La talla no corresponde con la guía de tallas",
        ],
        ("product", "pos"): [
            "La calidad de las prendas es excelente",
            "El producto es tal cual se ve en la web",
            "Las zapatillas son comodísimas",
        ],
        ("place", "neg"): [
            "La web se cuelga cada vez que intento pagar",
            "La tienda estaba desordenada y los probadores sucios",
            "La aplicación es muy lenta y confusa",
        ],
        ("place", "pos"): [
            "La tienda es amplia y está muy bien organizada",
            "La aplicación es muy fácil de usar",
        ],
        ("promotion", "neg"): [
            "El código de descuento no funcionó",
            "Me llegan demasiados correos con ofertas",
        ],
        ("promotion", "pos"): [
            "Las ofertas de la newsletter están muy bien",
            "Aproveché el descuento de bienvenida",
        ],
    },
    "it": {
        ("process", "neg"): [
            "L'ordine è arrivato con una settimana di ritardo",
            "La consegna è stata un disastro, il corriere non si è mai presentato",
            "Il reso è una procedura lunghissima e il rimborso non è ancora arrivato",
            "Ho aspettato al telefono più di mezz'ora prima di parlare con qualcuno",
            "La spedizione è stata bloccata per giorni senza spiegazioni",
        ],
        ("process", "pos"): [
            "La consegna è stata velocissima",
            "Il reso è stato semplice e il rimborso è arrivato in due giorni",
            "L'ordine è arrivato puntuale e ben imballato",
        ],
        ("people", "neg"): [
            "Il commesso è stato scortese e sbrigativo",
            "L'operatore del servizio clienti non mi ha ascoltato",
            "Il personale del negozio era del tutto disinteressato",
        ],
        ("people", "pos"): [
            "La commessa è stata gentilissima e molto competente",
            "L'operatore è stato paziente e mi ha risolto il problema",
            "Il personale è sempre cordiale e disponibile",
        ],
        ("price", "neg"): [
            "I prezzi sono troppo alti",
            "Le spese di spedizione sono care",
            "Costa troppo rispetto alla concorrenza",
        ],
        ("price", "pos"): [
            "Il prezzo è onesto",
            "Ottimo rapporto qualità-prezzo",
        ],
        ("product", "neg"): [
            "Il maglione si è rovinato dopo il primo lavaggio",
            "La qualità del prodotto è peggiorata",
            "La taglia era sbagliata rispetto alla tabella",
        ],
        ("product", "pos"): [
            "La qualità dei prodotti è ottima",
            "Il prodotto corrisponde perfettamente alla descrizione",
            "Le scarpe sono comodissime",
        ],
        ("place", "neg"): [
            "Il sito si blocca al momento del pagamento",
            "Il negozio era disordinato e i camerini sporchi",
            "L'app è lenta e poco intuitiva",
        ],
        ("place", "pos"): [
            "Il negozio è accogliente e ben organizzato",
            "L'app è comoda e facile da usare",
        ],
        ("promotion", "neg"): [
            "Il codice sconto non funzionava",
            "Ricevo troppe email promozionali",
        ],
        ("promotion", "pos"): [
            "Le promozioni per i clienti fedeli sono interessanti",
            "Ho approfittato dello sconto di benvenuto",
        ],
    },
    "pt": {
        ("process", "neg"): [
            "A encomenda chegou com uma semana de atraso",
            "A entrega foi péssima, o estafeta deixou a caixa à porta do vizinho",
            "A devolução demora imenso e o reembolso ainda não chegou",
            "Esperei mais de meia hora ao telefone para falar com alguém",
            "O envio ficou parado vários dias sem qualquer explicação",
        ],
        ("process", "pos"): [
            "A entrega foi super rápida",
            "A devolução foi simples e o reembolso chegou logo",
            "A encomenda chegou no prazo e muito bem embalada",
        ],
        ("people", "neg"): [
            "O atendente foi muito mal-educado",
            "Os funcionários da loja não sabiam responder a nada",
            "A pessoa do apoio ao cliente desligou-me o telefone",
        ],
        ("people", "pos"): [
            "A funcionária foi simpática e muito prestável",
            "O atendimento foi excelente, resolveram tudo à primeira",
            "A equipa da loja foi muito atenciosa",
        ],
        ("price", "neg"): [
            "Os preços estão muito caros",
            "Os portes de envio são demasiado caros",
            "Achei caro para a qualidade",
        ],
        ("price", "pos"): [
            "O preço é justo",
            "Boa relação qualidade-preço",
        ],
        ("product", "neg"): [
            "O casaco descoseu ao fim de duas semanas",
            "A qualidade do produto piorou muito",
            "O tamanho não corresponde à tabela de medidas",
        ],
        ("product", "pos"): [
            "A qualidade da roupa é excelente",
            "O produto é igual ao da fotografia",
            "Os ténis são muito confortáveis",
        ],
        ("place", "neg"): [
            "O site bloqueia sempre no pagamento",
            "A loja estava desarrumada e os provadores sujos",
            "A aplicação é lenta e confusa",
        ],
        ("place", "pos"): [
            "A loja é espaçosa e bem organizada",
            "A aplicação é muito fácil de usar",
        ],
        ("promotion", "neg"): [
            "O código de desconto não funcionou",
            "Recebo demasiados emails com promoções",
        ],
        ("promotion", "pos"): [
            "As promoções para clientes são ótimas",
            "Aproveitei o desconto de boas-vindas",
        ],
    },
    "en": {
        ("process", "neg"): [
            "My order arrived a week late and nobody told me why",
            "The delivery was a mess, the courier left the parcel in the rain",
            "The returns process is painfully slow, still waiting for my refund",
            "I was on hold for over forty minutes before anyone answered",
            "The shipment got stuck for days and tracking never updated",
        ],
        ("process", "pos"): [
            "The delivery was really fast",
            "Returning the item was easy and the refund came within two days",
            "My order arrived on time and well packed",
        ],
        ("people", "neg"): [
            "The sales assistant was rude and dismissive",
            "The customer service agent did not listen to me at all",
            "Staff in the store could not be bothered to help",
        ],
        ("people", "pos"): [
            "The staff were friendly and really helpful",
            "The agent on the phone was patient and sorted everything out",
            "Lovely team at the store, very knowledgeable",
        ],
        ("price", "neg"): [
            "Prices have gone up a lot",
            "Shipping costs are far too expensive",
            "It is overpriced for what you get",
        ],
        ("price", "pos"): [
            "The price is fair",
            "Good value for money",
        ],
        ("product", "neg"): [
            "The jacket fell apart after two weeks",
            "Product quality has gone downhill",
            "The size was nothing like the size guide",
        ],
        ("product", "pos"): [
            "The quality of the clothes is excellent",
            "The product looks exactly like the photos",
            "The trainers are super comfortable",
        ],
        ("place", "neg"): [
            "The website keeps crashing at checkout",
            "The store was messy and the fitting rooms were dirty",
            "The app is slow and confusing",
        ],
        ("place", "pos"): [
            "The store is spacious and well organised",
            "The app is really easy to use",
        ],
        ("promotion", "neg"): [
            "The discount code did not work",
            "I get far too many promotional emails",
        ],
        ("promotion", "pos"): [
            "The loyalty offers are great",
            "I used the welcome discount",
        ],
    },
}

#: Connectors between phrases: (same polarity, contrast) for the second phrase, then the third.
JOIN = {
    "es": [(". Además, ", ", pero "), (". Y ", ". En cambio, ")],
    "it": [(". Inoltre, ", ", però "), (". E ", ". Invece, ")],
    "pt": [(". Além disso, ", ", mas "), (". E ", ". Em contrapartida, ")],
    "en": [(". Also, ", ", but "), (". And ", ". On the other hand, ")],
}
CLOSINGS = {
    "es": {"neg": ["No volveré a comprar.", "Muy decepcionado."], "pos": ["¡Repetiré!", "Muy contenta."]},
    "it": {"neg": ["Non comprerò più qui.", "Molto deluso."], "pos": ["Tornerò sicuramente!", "Molto soddisfatta."]},
    "pt": {"neg": ["Não volto a comprar.", "Muito desiludido."], "pos": ["Vou voltar a comprar!", "Muito satisfeita."]},
    "en": {"neg": ["Won't be ordering again.", "Very disappointed."], "pos": ["Will shop again!", "Really happy."]},
}
CES_LABELS = {
    "es": ["Muy difícil", "Difícil", "Neutral", "Fácil", "Muy fácil"],
    "it": ["Molto difficile", "Difficile", "Neutrale", "Facile", "Molto facile"],
    "pt": ["Muito difícil", "Difícil", "Neutro", "Fácil", "Muito fácil"],
    "en": ["Very difficult", "Difficult", "Neutral", "Easy", "Very easy"],
}
#: Planted effects on the latent 0-10 likelihood to recommend.
EFFECTS = {
    ("process", "neg"): -3.0, ("process", "pos"): 0.8,
    ("people", "neg"): -2.0, ("people", "pos"): 1.0,
    ("product", "neg"): -1.5, ("product", "pos"): 0.8,
    ("place", "neg"): -1.0, ("place", "pos"): 0.3,
    ("price", "neg"): -0.3, ("price", "pos"): 0.3,
    ("promotion", "neg"): 0.0, ("promotion", "pos"): 0.0,
}
#: Topic mention probabilities (per comment) and the probability that a mention is negative.
TOPIC_P = {"process": 0.38, "people": 0.25, "product": 0.3, "place": 0.14, "price": 0.2, "promotion": 0.08}
NEG_P = {"process": 0.55, "people": 0.4, "product": 0.35, "place": 0.5, "price": 0.65, "promotion": 0.5}
STAGE = {"process": ["delivery", "returns", "support"], "people": ["support", "purchase"],
         "place": ["purchase"], "product": ["purchase", "delivery"], "price": ["purchase"],
         "promotion": ["purchase"]}
LANG_P = {"es": 0.32, "en": 0.26, "it": 0.22, "pt": 0.2}


def build(n: int = 520, seed: int = 2024) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    rows = []
    start = dt.date(2025, 1, 6)
    langs = list(LANG_P)
    for i in range(n):
        lang = str(rng.choice(langs, p=list(LANG_P.values())))
        mentioned = [t for t, p in TOPIC_P.items() if rng.random() < p]
        if not mentioned:
            mentioned = [str(rng.choice(list(TOPIC_P), p=np.array(list(TOPIC_P.values())) / sum(TOPIC_P.values())))]
        mentioned = mentioned[:3]
        rng.shuffle(mentioned)
        parts = []
        latent = rng.normal(7.9, 1.4)
        for topic in mentioned:
            pol = "neg" if rng.random() < NEG_P[topic] else "pos"
            phrase = str(rng.choice(PHRASES[lang][(topic, pol)]))
            parts.append((topic, pol, phrase))
            latent += EFFECTS[(topic, pol)]
        text = parts[0][2]
        for k, (prev, cur) in enumerate(zip(parts, parts[1:])):
            same, contrast = JOIN[lang][k]
            if prev[1] == cur[1]:
                text += same + cur[2][0].lower() + cur[2][1:]
            else:
                text += contrast + cur[2][0].lower() + cur[2][1:]
        text += "."
        overall = "neg" if sum(p[1] == "neg" for p in parts) > len(parts) / 2 else "pos"
        if rng.random() < 0.3:
            text += " " + str(rng.choice(CLOSINGS[lang][overall]))
        nps = int(np.clip(np.round(latent), 0, 10))
        csat = int(np.clip(np.round(1 + 4 * (latent - 1) / 9 + rng.normal(0, 0.5)), 1, 5))
        process_neg = any(p[0] == "process" and p[1] == "neg" for p in parts)
        ease = 3.9 - (1.8 if process_neg else 0) + rng.normal(0, 0.7)
        ces = CES_LABELS[lang][int(np.clip(np.round(ease), 1, 5)) - 1]
        stage = str(rng.choice(STAGE[parts[0][0]]))
        channel = str(rng.choice(["web", "app", "store", "phone"], p=[0.4, 0.25, 0.25, 0.1]))
        if stage == "support" and channel == "store":
            channel = "phone"
        date = start + dt.timedelta(days=int(rng.integers(0, 180)))
        rows.append({"id": f"R{i + 1:04d}", "comment": text, "nps": nps, "csat": csat, "ces": ces,
                     "journey_stage": stage, "channel": channel, "date": date.isoformat()})
    # Real exports are never clean: a few unanswered or mistyped scores (flagged, not dropped).
    for i, col, value in [(17, "nps", ""), (203, "nps", ""), (388, "nps", ""), (96, "csat", "n/a"),
                          (451, "csat", "")]:
        rows[i][col] = value
    return rows


def main() -> None:
    rows = build()
    path = Path(__file__).resolve().parents[1] / "cxtext" / "data" / "examples" / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
